package dev.registro.support.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The one admin login. Every check costs the same whatever the username: the password is
 * checked with bcrypt against the admin's hash even when the username is not the admin's,
 * so no answer tells which usernames exist. HTTP Basic sends the password with every
 * request, so the admin's password, once bcrypt has verified it, is remembered for a
 * while (as an HMAC under a key that lives in this process only) and answers at once;
 * nothing else is ever remembered. Failed logins are throttled per address and per
 * username ({@link LoginThrottle}): a throttled login gets 429 without bcrypt running, so
 * a guessing loop costs little CPU, and the checks that do run take turns on part of the
 * cores.
 */
final class AdminLogin implements AuthenticationProvider {

	private static final Logger log = LoggerFactory.getLogger(AdminLogin.class);

	private static final List<SimpleGrantedAuthority> ADMIN = List.of(new SimpleGrantedAuthority("ROLE_ADMIN"));

	private final byte[] username;

	private final String hash;

	private final PasswordEncoder bcrypt;

	private final LoginThrottle throttle;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Duration remember;

	private final SecretKeySpec key;

	private final Semaphore checks;

	private volatile Verified verified;

	/**
	 * @param concurrentChecks how many bcrypt checks may run at once: guessers spread
	 * over many addresses wait for each other here, and the cores beyond these stay free
	 * for the admin, whose remembered password needs none
	 */
	AdminLogin(String username, String hash, PasswordEncoder bcrypt, LoginThrottle throttle, MeterRegistry meters,
			Clock clock, Duration remember, int concurrentChecks) {
		this.username = username.getBytes(StandardCharsets.UTF_8);
		this.hash = hash;
		this.bcrypt = bcrypt;
		this.throttle = throttle;
		this.meters = meters;
		this.clock = clock;
		this.remember = remember;
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
		this.checks = new Semaphore(concurrentChecks, true);
	}

	@Override
	public Authentication authenticate(Authentication login) throws AuthenticationException {
		String name = login.getName();
		String password = (login.getCredentials() != null) ? login.getCredentials().toString() : "";
		boolean admin = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8), this.username);
		// The throttle first, even before the remembered password: a throttled guesser
		// must not learn, however cheaply, that a guess is right.
		String address = address(login);
		Optional<Duration> wait = this.throttle.waitFor(address, name);
		if (wait.isPresent()) {
			this.meters.counter("registro.logins", "outcome", "throttled").increment();
			log.warn("Login refused without a check: too many failed logins from {} or for '{}'; {} s to wait", address,
					name, wait.get().toSeconds());
			throw new LoginThrottledException(wait.get());
		}
		byte[] fingerprint = fingerprint(password);
		Verified known = this.verified;
		if (admin && known != null && known.until() > this.clock.millis()
				&& MessageDigest.isEqual(known.fingerprint(), fingerprint)) {
			return authenticated(login);
		}
		boolean matches = check(password);
		if (admin && matches) {
			this.verified = new Verified(fingerprint, this.clock.millis() + this.remember.toMillis());
			this.throttle.succeeded(address);
			this.meters.counter("registro.logins", "outcome", "verified").increment();
			return authenticated(login);
		}
		this.throttle.failed(address, name);
		this.meters.counter("registro.logins", "outcome", "failed").increment();
		log.info("Failed login from {} for '{}'", address, name);
		throw new BadCredentialsException("wrong username or password");
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private boolean check(String password) {
		try {
			this.checks.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AuthenticationServiceException("interrupted while waiting to check a login", ex);
		}
		try {
			return this.bcrypt.matches(password, this.hash);
		}
		finally {
			this.checks.release();
		}
	}

	private static Authentication authenticated(Authentication login) {
		UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(login.getName(),
				null, ADMIN);
		result.setDetails(login.getDetails());
		return result;
	}

	private static String address(Authentication login) {
		return (login.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null)
				? details.getRemoteAddress() : "unknown";
	}

	private byte[] fingerprint(String password) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java runtime", ex);
		}
	}

	/**
	 * The admin's password, verified by bcrypt, remembered until {@code until} (epoch
	 * millis).
	 */
	private record Verified(byte[] fingerprint, long until) {
	}

}
