package dev.registro.support.messaging;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Runs the write a batch must make before it is acknowledged (to this service's own
 * disk), again and again with a growing delay for as long as it fails, on the listener's
 * thread. So while the disk is full the consumer takes nothing more (its prefetch stays
 * unacknowledged), nothing is handed back to the queue, where every return counts towards
 * the delivery limit and would end in the dead-letter queue, and the service says it is
 * not ready, with the reason. The first write that succeeds ends the pause.
 */
public class PausingRetry implements HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(PausingRetry.class);

	private final Duration firstDelay;

	private final Duration maxDelay;

	private final Clock clock;

	private volatile Failing failing;

	public PausingRetry(Duration firstDelay, Duration maxDelay, Clock clock) {
		this.firstDelay = firstDelay;
		this.maxDelay = maxDelay;
		this.clock = clock;
	}

	/** Work that a local fault can make fail. */
	@FunctionalInterface
	public interface Write {

		void run() throws IOException;

	}

	/**
	 * Runs the write until it succeeds.
	 * @param what what the write does, for the log and the health details
	 * @throws InterruptedException when the thread is interrupted (the service stops)
	 * first: the batch is then not acknowledged, and the broker delivers it again
	 */
	public void untilDone(String what, Write write) throws InterruptedException {
		long delay = this.firstDelay.toMillis();
		for (int attempt = 1;; attempt++) {
			try {
				write.run();
				if (attempt > 1) {
					log.info("{}: succeeded after {} attempts; taking messages again", what, attempt);
					this.failing = null;
				}
				return;
			}
			catch (IOException ex) {
				this.failing = new Failing(what, ex.toString(),
						(attempt == 1) ? this.clock.instant() : this.failing.since(), attempt);
				log.error("{} failed (attempt {}); no message is taken until it succeeds, again in {} ms: {}", what,
						attempt, delay, ex.toString());
			}
			Thread.sleep(delay);
			delay = Math.min(delay * 2, this.maxDelay.toMillis());
		}
	}

	/** Down, with the reason, while a write keeps failing. */
	@Override
	public Health health() {
		Failing now = this.failing;
		if (now == null) {
			return Health.up().build();
		}
		return Health.down()
			.withDetail("paused", now.what())
			.withDetail("reason", now.reason())
			.withDetail("since", now.since().toString())
			.withDetail("attempts", now.attempts())
			.build();
	}

	private record Failing(String what, String reason, Instant since, int attempts) {
	}

}
