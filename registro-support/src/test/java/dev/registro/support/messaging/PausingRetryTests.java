package dev.registro.support.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class PausingRetryTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

	private final PausingRetry retry = new PausingRetry(Duration.ofMillis(1), Duration.ofMillis(4), this.clock);

	@Test
	void runsAWriteThatSucceedsOnceAndStaysUp() throws InterruptedException {
		AtomicInteger runs = new AtomicInteger();

		this.retry.untilDone("saving", runs::incrementAndGet);

		assertThat(runs).hasValue(1);
		assertThat(this.retry.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void repeatsAFailingWriteUntilItSucceedsAndIsDownWithTheReasonMeanwhile() throws InterruptedException {
		List<Health> meanwhile = new ArrayList<>();
		AtomicInteger runs = new AtomicInteger();

		this.retry.untilDone("saving the counts", () -> {
			meanwhile.add(this.retry.health());
			this.clock.advance(Duration.ofSeconds(1));
			if (runs.incrementAndGet() < 4) {
				throw new IOException("No space left on device");
			}
		});

		assertThat(runs).hasValue(4);
		assertThat(meanwhile.get(0).getStatus()).isEqualTo(Status.UP);
		assertThat(meanwhile.get(3).getStatus()).isEqualTo(Status.DOWN);
		assertThat(meanwhile.get(3).getDetails()).containsEntry("paused", "saving the counts")
			.containsEntry("reason", "java.io.IOException: No space left on device")
			.containsEntry("attempts", 3)
			.containsEntry("since", "2026-11-30T10:00:01Z");
		assertThat(this.retry.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void givesUpOnlyWhenItsThreadIsInterrupted() throws InterruptedException {
		CountDownLatch failing = new CountDownLatch(3);
		AtomicReference<Throwable> ended = new AtomicReference<>();
		Thread listener = new Thread(() -> {
			try {
				this.retry.untilDone("writing", () -> {
					failing.countDown();
					throw new IOException("read-only file system");
				});
			}
			catch (InterruptedException ex) {
				ended.set(ex);
			}
		});
		listener.start();
		assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();

		listener.interrupt();
		listener.join(10_000);

		assertThat(listener.isAlive()).isFalse();
		assertThat(ended.get()).isInstanceOf(InterruptedException.class);
		assertThat(this.retry.health().getStatus()).isEqualTo(Status.DOWN);
	}

}
