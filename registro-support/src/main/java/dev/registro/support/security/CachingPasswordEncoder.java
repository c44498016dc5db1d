package dev.registro.support.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Remembers, for a while, which presented passwords already matched a stored hash, so
 * that HTTP Basic (which presents the password on every request) runs bcrypt once per
 * client, not once per request.
 *
 * <p>
 * The check is not weakened: only a password that bcrypt has verified is remembered, and
 * only as an HMAC under a key that lives in this process's memory, so the cache can
 * neither reveal a password nor be filled from outside. Wrong passwords always pay the
 * full bcrypt cost. Entries expire, and the cache is bounded.
 */
class CachingPasswordEncoder implements PasswordEncoder {

	static final int MAX_ENTRIES = 1024;

	private final PasswordEncoder delegate;

	private final Duration timeToLive;

	private final Clock clock;

	private final SecretKeySpec key;

	private final ConcurrentHashMap<String, Long> verifiedUntil = new ConcurrentHashMap<>();

	CachingPasswordEncoder(PasswordEncoder delegate, Duration timeToLive, Clock clock) {
		this.delegate = delegate;
		this.timeToLive = timeToLive;
		this.clock = clock;
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return this.delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return this.delegate.matches(rawPassword, encodedPassword);
		}
		String fingerprint = fingerprint(rawPassword, encodedPassword);
		long now = this.clock.millis();
		Long until = this.verifiedUntil.get(fingerprint);
		if (until != null && until > now) {
			return true;
		}
		boolean matches = this.delegate.matches(rawPassword, encodedPassword);
		if (matches) {
			if (this.verifiedUntil.size() >= MAX_ENTRIES) {
				this.verifiedUntil.clear();
			}
			this.verifiedUntil.put(fingerprint, now + this.timeToLive.toMillis());
		}
		else if (until != null) {
			this.verifiedUntil.remove(fingerprint);
		}
		return matches;
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	int size() {
		return this.verifiedUntil.size();
	}

	private String fingerprint(CharSequence rawPassword, String encodedPassword) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 0);
			mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(mac.doFinal());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java runtime", ex);
		}
	}

}
