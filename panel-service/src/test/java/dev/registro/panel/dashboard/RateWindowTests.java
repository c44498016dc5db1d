package dev.registro.panel.dashboard;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateWindowTests {

	private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

	private final RateWindow window = new RateWindow(Duration.ofMinutes(5));

	@Test
	void computesRegistrationsPerSecondBetweenTotals() {
		this.window.record(T0, 10);
		this.window.record(T0.plusSeconds(2), 30);
		this.window.record(T0.plusSeconds(4), 30);

		assertThat(this.window.rates()).extracting(PanelState.RatePoint::perSecond).containsExactly(10.0, 0.0);
	}

	@Test
	void neverShowsANegativeRateWhenReporteStartsCountingAgain() {
		this.window.record(T0, 10);
		this.window.record(T0.plusSeconds(2), 2);

		assertThat(this.window.rates()).extracting(PanelState.RatePoint::perSecond).containsExactly(0.0);
	}

	@Test
	void forgetsTotalsOlderThanTheWindow() {
		for (int i = 0; i <= 200; i++) {
			this.window.record(T0.plusSeconds(2L * i), i);
		}

		assertThat(this.window.rates()).hasSize(150);
	}

}
