package dev.registro.reporte.counting;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.registro.contract.Registro;
import dev.registro.reporte.counting.Tally.ServiceSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TallyTests {

	private static final LocalDateTime NOON = LocalDateTime.of(2026, 11, 29, 12, 0);

	private final Tally tally = new Tally();

	@Test
	void countsEachServiceSeparatelyAndListsThemByServiceId() {
		this.tally.count(new Registro("app2", NOON), null);
		this.tally.count(new Registro("app1", NOON), null);
		this.tally.count(new Registro("app2", NOON), null);

		assertThat(this.tally.counts()).containsExactly(java.util.Map.entry("app1", 1L),
				java.util.Map.entry("app2", 2L));
	}

	@Test
	void keepsTheLatestRegistrationEvenWhenMessagesArriveOutOfOrder() {
		this.tally.count(new Registro("app1", NOON.plusSeconds(5)), null);
		this.tally.count(new Registro("app1", NOON), null);

		assertThat(this.tally.summary().services()).containsExactly(new ServiceSummary("app1", 2, NOON.plusSeconds(5)));
	}

	@Test
	void summarisesTotalAndRejected() {
		this.tally.count(new Registro("app1", NOON), null);
		this.tally.count(new Registro("app3", NOON), null);
		this.tally.reject(null);

		Tally.Summary summary = this.tally.summary();

		assertThat(summary.total()).isEqualTo(2);
		assertThat(summary.rejected()).isEqualTo(1);
		assertThat(summary.services()).extracting(ServiceSummary::serviceId).containsExactly("app1", "app3");
	}

	@Test
	void recognisesAMessageItHandledAlready() {
		this.tally.count(new Registro("app1", NOON), "m-1");
		this.tally.reject("m-2");

		assertThat(this.tally.handled("m-1")).isTrue();
		assertThat(this.tally.handled("m-2")).isTrue();
		assertThat(this.tally.handled("m-3")).isFalse();
		assertThat(this.tally.handled(null)).isFalse();
	}

	@Test
	void remembersOnlyTheLatestIds() {
		for (int i = 0; i < Tally.REMEMBERED_IDS + 10; i++) {
			this.tally.count(new Registro("app1", NOON), "m-" + i);
		}

		assertThat(this.tally.handled("m-0")).isFalse();
		assertThat(this.tally.handled("m-" + (Tally.REMEMBERED_IDS + 9))).isTrue();
		assertThat(this.tally.snapshot().recent()).hasSize(Tally.REMEMBERED_IDS);
	}

	@Test
	void carriesOnFromASnapshotExactlyWhereItLeftOff() {
		this.tally.count(new Registro("app1", NOON), "m-1");
		this.tally.count(new Registro("app1", NOON.plusSeconds(3)), "m-2");
		this.tally.count(new Registro("app2", NOON), "m-3");
		this.tally.reject("m-4");

		Tally restored = new Tally();
		restored.restore(this.tally.snapshot());

		assertThat(restored.summary()).isEqualTo(this.tally.summary());
		assertThat(restored.handled("m-2")).isTrue();
		assertThat(restored.handled("m-4")).isTrue();
		restored.count(new Registro("app1", NOON), "m-5");
		assertThat(restored.counts()).containsEntry("app1", 3L);
	}

	@Test
	void losesNoCountUnderConcurrentCounting() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> done = new ArrayList<>();
		for (int worker = 0; worker < 4; worker++) {
			done.add(pool.submit(() -> {
				for (int i = 0; i < 25_000; i++) {
					this.tally.count(new Registro("app" + (i % 3 + 1), NOON), null);
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

}
