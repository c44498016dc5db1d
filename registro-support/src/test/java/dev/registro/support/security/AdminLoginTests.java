package dev.registro.support.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.registro.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AdminLoginTests {

	private final CountingEncoder bcrypt = new CountingEncoder(new BCryptPasswordEncoder(4));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AdminLogin login = new AdminLogin("admin", this.bcrypt.delegate.encode("s3cret"), this.bcrypt,
			new LoginThrottle(10, 30, Duration.ofMinutes(5), this.clock), this.meters, this.clock,
			Duration.ofMinutes(10), 1);

	@Test
	void letsTheAdminInAndRunsBcryptOnceForItsVerifiedPassword() {
		for (int i = 0; i < 100; i++) {
			Authentication admin = this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));
			assertThat(admin.isAuthenticated()).isTrue();
			assertThat(admin.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
		}

		assertThat(this.bcrypt.calls).hasValue(1);
	}

	@Test
	void runsBcryptForEveryOtherLoginWhateverTheUsernameSoNoneIsCheaper() {
		this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));
		this.bcrypt.calls.set(0);

		for (String[] attempt : new String[][] { { "admin", "wrong" }, { "nobody", "wrong" }, { "nobody", "s3cret" },
				{ "userNotFoundPassword", "userNotFoundPassword" }, { "Admin", "s3cret" } }) {
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> this.login.authenticate(login(attempt[0], attempt[1], "10.0.0.2")));
		}

		assertThat(this.bcrypt.calls).hasValue(5);
	}

	@Test
	void remembersOnlyTheAdminsVerifiedPasswordAndOnlyForAWhile() {
		this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));
		this.clock.advance(Duration.ofMinutes(11));
		this.bcrypt.calls.set(0);

		this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));

		assertThat(this.bcrypt.calls).hasValue(1);
	}

	@Test
	void answersAThrottledAddressWithoutRunningBcryptAndKeepsLettingTheAdminInFromElsewhere() {
		for (int i = 0; i < 10; i++) {
			String guess = "guess" + i;
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> this.login.authenticate(login("admin", guess, "203.0.113.9")));
		}
		this.bcrypt.calls.set(0);

		assertThatExceptionOfType(LoginThrottledException.class)
			.isThrownBy(() -> this.login.authenticate(login("admin", "guess-11", "203.0.113.9")))
			.satisfies(throttled -> assertThat(throttled.retryAfterSeconds()).isBetween(1L, 300L));
		assertThat(this.bcrypt.calls).hasValue(0);
		assertThat(this.login.authenticate(login("admin", "s3cret", "10.0.0.1")).isAuthenticated()).isTrue();
		assertThat(this.meters.counter("registro.logins", "outcome", "throttled").count()).isEqualTo(1);
		assertThat(this.meters.counter("registro.logins", "outcome", "failed").count()).isEqualTo(10);
	}

	@Test
	void tellsAThrottledAddressNothingEvenOfTheRememberedPassword() {
		this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));
		for (int i = 0; i < 10; i++) {
			String guess = "guess" + i;
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> this.login.authenticate(login("admin", guess, "203.0.113.9")));
		}

		assertThatExceptionOfType(LoginThrottledException.class)
			.isThrownBy(() -> this.login.authenticate(login("admin", "s3cret", "203.0.113.9")));
	}

	@Test
	void runsOnlyAsManyChecksAtOnceAsItIsAllowedWhileTheAdminGetsInMeanwhile() throws Exception {
		this.login.authenticate(login("admin", "s3cret", "10.0.0.1"));
		this.bcrypt.delay = Duration.ofMillis(50);
		List<Thread> guessers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String address = "198.51.100." + i;
			guessers.add(start(() -> assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> this.login.authenticate(login("nobody", "guess", address)))));
		}
		Thread.sleep(100);
		assertThat(this.login.authenticate(login("admin", "s3cret", "10.0.0.1")).isAuthenticated()).isTrue();
		for (Thread guesser : guessers) {
			guesser.join();
		}

		assertThat(this.bcrypt.calls).hasValue(9);
		assertThat(this.bcrypt.mostAtOnce).hasValue(1);
	}

	private static Thread start(Runnable guess) {
		Thread thread = new Thread(guess);
		thread.start();
		return thread;
	}

	private static UsernamePasswordAuthenticationToken login(String username, String password, String address) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(address);
		UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(username,
				password);
		token.setDetails(new WebAuthenticationDetails(request));
		return token;
	}

	private static final class CountingEncoder implements PasswordEncoder {

		private final PasswordEncoder delegate;

		private final AtomicInteger calls = new AtomicInteger();

		private final AtomicInteger running = new AtomicInteger();

		private final AtomicInteger mostAtOnce = new AtomicInteger();

		private volatile Duration delay = Duration.ZERO;

		CountingEncoder(PasswordEncoder delegate) {
			this.delegate = delegate;
		}

		@Override
		public String encode(CharSequence rawPassword) {
			return this.delegate.encode(rawPassword);
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			this.calls.incrementAndGet();
			this.mostAtOnce.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			try {
				Thread.sleep(this.delay.toMillis());
				return this.delegate.matches(rawPassword, encodedPassword);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.running.decrementAndGet();
			}
		}

	}

}
