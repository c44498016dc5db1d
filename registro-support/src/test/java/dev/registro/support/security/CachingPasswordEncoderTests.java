package dev.registro.support.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class CachingPasswordEncoderTests {

	private final CountingEncoder bcrypt = new CountingEncoder(new BCryptPasswordEncoder(4));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

	private final CachingPasswordEncoder encoder = new CachingPasswordEncoder(this.bcrypt, Duration.ofMinutes(10),
			this.clock);

	private final String hash = this.bcrypt.delegate.encode("123");

	@Test
	void runsBcryptOnceForCredentialsAlreadyVerified() {
		for (int i = 0; i < 100; i++) {
			assertThat(this.encoder.matches("123", this.hash)).isTrue();
		}

		assertThat(this.bcrypt.matchCalls).hasValue(1);
	}

	@Test
	void alwaysRunsBcryptForAWrongPasswordAndNeverAcceptsIt() {
		assertThat(this.encoder.matches("123", this.hash)).isTrue();

		for (int i = 0; i < 5; i++) {
			assertThat(this.encoder.matches("1234", this.hash)).isFalse();
			assertThat(this.encoder.matches("12", this.hash)).isFalse();
		}

		assertThat(this.bcrypt.matchCalls).hasValue(11);
	}

	@Test
	void doesNotCarryAVerifiedPasswordOverToAnotherHash() {
		String otherHash = this.bcrypt.delegate.encode("456");
		assertThat(this.encoder.matches("123", this.hash)).isTrue();

		assertThat(this.encoder.matches("123", otherHash)).isFalse();
	}

	@Test
	void verifiesAgainWithBcryptOnceTheEntryExpired() {
		assertThat(this.encoder.matches("123", this.hash)).isTrue();
		this.clock.advance(Duration.ofMinutes(11));

		assertThat(this.encoder.matches("123", this.hash)).isTrue();

		assertThat(this.bcrypt.matchCalls).hasValue(2);
	}

	@Test
	void staysBoundedWhateverIsPresented() {
		for (int i = 0; i < CachingPasswordEncoder.MAX_ENTRIES + 10; i++) {
			String password = "pw" + i;
			assertThat(this.encoder.matches(password, this.bcrypt.delegate.encode(password))).isTrue();
		}

		assertThat(this.encoder.size()).isLessThanOrEqualTo(CachingPasswordEncoder.MAX_ENTRIES);
	}

	@Test
	void refusesMissingPasswords() {
		assertThat(this.encoder.matches(null, this.hash)).isFalse();
		assertThat(this.encoder.matches("123", null)).isFalse();
	}

	private static final class CountingEncoder implements PasswordEncoder {

		private final PasswordEncoder delegate;

		private final AtomicInteger matchCalls = new AtomicInteger();

		CountingEncoder(PasswordEncoder delegate) {
			this.delegate = delegate;
		}

		@Override
		public String encode(CharSequence rawPassword) {
			return this.delegate.encode(rawPassword);
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			this.matchCalls.incrementAndGet();
			return this.delegate.matches(rawPassword, encodedPassword);
		}

	}

}
