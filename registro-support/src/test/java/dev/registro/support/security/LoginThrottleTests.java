package dev.registro.support.security;

import java.time.Duration;
import java.time.Instant;

import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

	private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofMinutes(5), this.clock);

	@Test
	void makesAnAddressWaitAfterItsFailuresUntilTheOldestLeavesTheWindow() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.throttle.waitFor("10.0.0.1", "admin")).isEmpty();
			this.throttle.failed("10.0.0.1", "admin");
			this.clock.advance(Duration.ofMinutes(1));
		}

		assertThat(this.throttle.waitFor("10.0.0.1", "admin")).hasValue(Duration.ofMinutes(2));
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.throttle.waitFor("10.0.0.1", "admin")).isEmpty();
	}

	@Test
	void forgivesAnAddressItsFailuresOnceItLogsIn() {
		this.throttle.failed("10.0.0.1", "admin");
		this.throttle.failed("10.0.0.1", "admin");
		this.throttle.succeeded("10.0.0.1");
		this.throttle.failed("10.0.0.1", "admin");

		assertThat(this.throttle.waitFor("10.0.0.1", "admin")).isEmpty();
	}

	@Test
	void slowsAGuesserSpreadOverManyAddressesToOneTryFromEach() {
		for (int i = 1; i <= 5; i++) {
			assertThat(this.throttle.waitFor("10.0.1." + i, "admin")).isEmpty();
			this.throttle.failed("10.0.1." + i, "admin");
		}

		// An address that failed waits now, for that username, after a single failure.
		assertThat(this.throttle.waitFor("10.0.1.1", "admin")).isPresent();
		assertThat(this.throttle.waitFor("10.0.1.1", "somebody")).isEmpty();
	}

	@Test
	void neverMakesAnAddressWithoutFailuresWaitHoweverMuchOthersGuessed() {
		for (int i = 1; i <= 50; i++) {
			this.throttle.failed("10.0.2." + i, "admin");
		}

		assertThat(this.throttle.waitFor("192.0.2.7", "admin")).isEmpty();
	}

	@Test
	void remembersABoundedNumberOfAddresses() {
		for (int i = 0; i < LoginThrottle.MAX_KEYS + 100; i++) {
			this.throttle.failed("address-" + i, "user-" + i);
		}

		assertThat(this.throttle.waitFor("address-0", "user-0")).isEmpty();
	}

}
