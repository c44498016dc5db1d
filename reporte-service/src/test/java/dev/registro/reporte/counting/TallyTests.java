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
		this.tally.count(new Registro("app2", NOON));
		this.tally.count(new Registro("app1", NOON));
		this.tally.count(new Registro("app2", NOON));

		assertThat(this.tally.counts()).containsExactly(java.util.Map.entry("app1", 1L), java.util.Map.entry("app2", 2L));
	}

	@Test
	void keepsTheLatestRegistrationEvenWhenMessagesArriveOutOfOrder() {
		this.tally.count(new Registro("app1", NOON.plusSeconds(5)));
		this.tally.count(new Registro("app1", NOON));

		assertThat(this.tally.summary().services()).containsExactly(new ServiceSummary("app1", 2, NOON.plusSeconds(5)));
	}

	@Test
	void summarisesTotalAndRejected() {
		this.tally.count(new Registro("app1", NOON));
		this.tally.count(new Registro("app3", NOON));
		this.tally.reject();

		Tally.Summary summary = this.tally.summary();

		assertThat(summary.total()).isEqualTo(2);
		assertThat(summary.rejected()).isEqualTo(1);
		assertThat(summary.services()).extracting(ServiceSummary::serviceId).containsExactly("app1", "app3");
	}

	@Test
	void losesNoCountUnderConcurrentCounting() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> done = new ArrayList<>();
		for (int worker = 0; worker < 4; worker++) {
			done.add(pool.submit(() -> {
				for (int i = 0; i < 25_000; i++) {
					this.tally.count(new Registro("app" + (i % 3 + 1), NOON));
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
