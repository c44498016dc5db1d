package dev.registro.panel.dashboard;

import java.time.Instant;
import java.util.List;

import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class DashboardTests {

	private final Parts parts = mock(Parts.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

	private final Dashboard dashboard = new Dashboard(this.parts, SamplerTests.PROPERTIES, new GatewayRoutes(),
			this.clock);

	@BeforeEach
	void everyPartAnswers() {
		given(this.parts.health(any(), any())).willAnswer(invocation -> new PartHealth(invocation.getArgument(0), "UP",
				"health.ready", List.of(), this.clock.instant()));
		given(this.parts.queueDepths()).willReturn(new long[] { 4, 1 });
		given(this.parts.logTail(any(), anyInt()))
			.willReturn(List.of(new LogLine(1, "2026-11-29 12:00:00", "app1", "INFO", "started", null)));
		SamplerTests.answersTotal(this.parts, 10);
	}

	@AfterEach
	void stop() {
		this.dashboard.destroy();
	}

	@Test
	void putsTogetherWhatEveryPartSaidTheLogTailOfTheFilterTheRoutesAndTheClients() {
		PanelState state = this.dashboard.state("app1");

		assertThat(state.counts().total()).isEqualTo(10);
		assertThat(state.queues().registro()).isEqualTo(4);
		assertThat(state.parts()).extracting(PartHealth::name).containsExactly("app1", "reporte", "logger", "broker");
		assertThat(state.log().service()).isEqualTo("app1");
		assertThat(state.log().events()).hasSize(1);
		assertThat(state.routes()).isEqualTo(new GatewayRoutes().all());
		assertThat(state.clients()).containsExactly("app1");
		assertThat(state.refreshMillis()).isEqualTo(2000);
	}

	@Test
	void registersOnlyOnAClientItKnows() {
		given(this.parts.register(SamplerTests.PROPERTIES.clients().get(0))).willReturn(new ClientAnswer(200, "{}"));

		assertThat(this.dashboard.register("app1")).isEqualTo(new ClientAnswer(200, "{}"));
		assertThat(this.dashboard.register("app9")).isNull();
		verify(this.parts, never()).register(eq(new PanelProperties.Client("app9", null, null)));
	}

}
