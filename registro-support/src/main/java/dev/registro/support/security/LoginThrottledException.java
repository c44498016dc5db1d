package dev.registro.support.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** Too many failed logins: the password was not even checked. */
class LoginThrottledException extends AuthenticationException {

	private final Duration retryAfter;

	LoginThrottledException(Duration retryAfter) {
		super("too many failed logins; try again in " + seconds(retryAfter) + " s");
		this.retryAfter = retryAfter;
	}

	/** Whole seconds, rounded up, as the Retry-After header wants them. */
	long retryAfterSeconds() {
		return seconds(this.retryAfter);
	}

	private static long seconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

}
