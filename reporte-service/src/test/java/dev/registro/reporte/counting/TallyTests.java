package dev.registro.reporte.counting;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.registro.reporte.counting.Tally.ServiceSummary;
import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TallyTests {

	private static final LocalDateTime NOON = LocalDateTime.of(2026, 11, 29, 12, 0);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));

	private final Tally tally = new Tally(this.clock);

	@Test
	void countsEachServiceSeparatelyAndListsThemByServiceId() {
		count(this.tally, "app2", NOON, null);
		count(this.tally, "app1", NOON, null);
		count(this.tally, "app2", NOON, null);

		assertThat(this.tally.counts()).containsExactly(java.util.Map.entry("app1", 1L),
				java.util.Map.entry("app2", 2L));
	}

	@Test
	void keepsTheLatestRegistrationEvenWhenMessagesArriveOutOfOrder() {
		count(this.tally, "app1", NOON.plusSeconds(5), null);
		count(this.tally, "app1", NOON, null);

		assertThat(this.tally.summary().services()).containsExactly(new ServiceSummary("app1", 2, NOON.plusSeconds(5)));
	}

	@Test
	void summarisesTotalAndRejected() {
		count(this.tally, "app1", NOON, null);
		count(this.tally, "app3", NOON, null);
		reject(this.tally, null);

		Tally.Summary summary = this.tally.summary();

		assertThat(summary.total()).isEqualTo(2);
		assertThat(summary.rejected()).isEqualTo(1);
		assertThat(summary.services()).extracting(ServiceSummary::serviceId).containsExactly("app1", "app3");
	}

	@Test
	void recognisesAMessageItHandledAlready() {
		count(this.tally, "app1", NOON, "m-1");
		reject(this.tally, "m-2");

		assertThat(this.tally.handled("m-1")).isTrue();
		assertThat(this.tally.handled("m-2")).isTrue();
		assertThat(this.tally.handled("m-3")).isFalse();
		assertThat(this.tally.handled(null)).isFalse();
	}

	@Test
	void remembersOnlyTheLatestIds() {
		for (int i = 0; i < Tally.REMEMBERED_IDS + 10; i++) {
			count(this.tally, "app1", NOON, "m-" + i);
		}

		assertThat(this.tally.handled("m-0")).isFalse();
		assertThat(this.tally.handled("m-" + (Tally.REMEMBERED_IDS + 9))).isTrue();
		assertThat(this.tally.snapshot().recent()).hasSize(Tally.REMEMBERED_IDS);
	}

	@Test
	void carriesOnFromASnapshotExactlyWhereItLeftOff() {
		count(this.tally, "app1", NOON, "m-1");
		count(this.tally, "app1", NOON.plusSeconds(3), "m-2");
		count(this.tally, "app2", NOON, "m-3");
		reject(this.tally, "m-4");

		Tally restored = new Tally(this.clock);
		restored.restore(this.tally.snapshot());

		assertThat(restored.summary()).isEqualTo(this.tally.summary());
		assertThat(restored.handled("m-2")).isTrue();
		assertThat(restored.handled("m-4")).isTrue();
		count(restored, "app1", NOON, "m-5");
		assertThat(restored.counts()).containsEntry("app1", 3L);
	}

	@Test
	void losesNoCountUnderConcurrentCounting() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> done = new ArrayList<>();
		for (int worker = 0; worker < 4; worker++) {
			done.add(pool.submit(() -> {
				for (int i = 0; i < 25_000; i++) {
					count(this.tally, "app" + (i % 3 + 1), NOON, null);
				}
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		pool.shutdown();

		assertThat(this.tally.summary().total()).isEqualTo(100_000);
		assertThat(this.tally.counts().values()).allSatisfy(count -> assertThat(count).isBetween(33_332L, 33_336L));
	}

	@Test
	void countsAChangeAppliedTwiceOnceByIdAndEveryMessageWithoutAnId() {
		Change change = new Change("c-1",
				List.of(registration("app1", "m-1"), registration("app1", "m-2"), registration("app1", null)),
				List.of("m-3"), 1);

		assertThat(this.tally.apply(change)).isEqualTo(5);
		assertThat(this.tally.apply(change)).isEqualTo(2);

		assertThat(this.tally.counts()).containsEntry("app1", 4L);
		assertThat(this.tally.summary().rejected()).isEqualTo(3);
	}

	@Test
	void keepsTheIdsOfThePreviousConsumerLongAfterTheyLeftTheLatestWhenAnotherConsumerTakesOver() {
		this.tally.apply(new Change("c-1", List.of(registration("app1", "held-1")), List.of(), 0));
		for (int i = 0; i < Tally.REMEMBERED_IDS + 10; i++) {
			this.tally.apply(new Change("c-2", List.of(registration("app1", "m-" + i)), List.of(), 0));
		}
		this.clock.advance(Tally.PINNED_FOR.minusSeconds(1));

		assertThat(this.tally.handled("held-1")).isTrue();
		assertThat(this.tally.handled("m-0")).isFalse();
		this.tally.apply(new Change("c-2", List.of(registration("app1", "held-1")), List.of(), 0));
		assertThat(this.tally.counts()).containsEntry("app1", Tally.REMEMBERED_IDS + 11L);

		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.tally.handled("held-1")).isFalse();
	}

	@Test
	void aRestartedTallyKeepsWhatWasPinnedAndPinsAgainWhenItsNewConsumerCounts() {
		this.tally.apply(new Change("c-1", List.of(registration("app1", "held-1")), List.of(), 0));
		this.tally.apply(new Change("c-2", List.of(registration("app1", "m-1")), List.of(), 0));

		Tally restored = new Tally(this.clock);
		restored.restore(this.tally.snapshot());
		for (int i = 0; i < Tally.REMEMBERED_IDS + 10; i++) {
			restored.apply(new Change("c-3", List.of(registration("app1", "n-" + i)), List.of(), 0));
		}

		assertThat(restored.handled("held-1")).isTrue();
		assertThat(restored.handled("m-1")).isTrue();
		assertThat(restored.handled("n-0")).isFalse();
	}

	@Test
	void pinsAtMostAFewSetsOfIds() {
		for (int consumer = 0; consumer <= Tally.MAX_PINNED + 1; consumer++) {
			this.tally.apply(new Change("c-" + consumer, List.of(registration("app1", "m-" + consumer)), List.of(), 0));
		}

		assertThat(this.tally.snapshot().pinned()).hasSize(Tally.MAX_PINNED);
	}

	private static void count(Tally tally, String serviceId, LocalDateTime at, String messageId) {
		tally.apply(new Change("c-1", List.of(new Change.Registration(serviceId, at, messageId)), List.of(), 0));
	}

	private static void reject(Tally tally, String messageId) {
		tally.apply(new Change("c-1", List.of(), (messageId != null) ? List.of(messageId) : List.of(),
				(messageId != null) ? 0 : 1));
	}

	private static Change.Registration registration(String serviceId, String messageId) {
		return new Change.Registration(serviceId, NOON, messageId);
	}

}
