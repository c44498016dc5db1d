package dev.registro.panel.dashboard;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.registro.panel.dashboard.Backends.ServiceSummary;
import dev.registro.panel.dashboard.Backends.Summary;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

class DashboardTests {

	private final Backends backends = mock(Backends.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

	private final PanelProperties properties = new PanelProperties(URI.create("http://reporte"), URI.create("http://logger"),
			List.of(new PanelProperties.Client("app1", URI.create("http://app1"), "/cliente/uno")), "admin", "123",
			Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5), 15);

	private Dashboard dashboard;

	@BeforeEach
	void everyPartAnswers() {
		this.dashboard = new Dashboard(this.backends, this.properties, this.clock);
		given(this.backends.health(any(), any())).willAnswer(
				invocation -> new PartHealth(invocation.getArgument(0), "UP", "ready", this.clock.instant()));
		given(this.backends.queueDepths()).willReturn(new long[] { 4, 1 });
		given(this.backends.logTail(any(), anyInt())).willReturn(List.of(new LogLine(1, "2026-11-29 12:00:00", "app1", "INFO", "started", null)));
		answersTotal(10);
	}

	@AfterEach
	void stop() {
		this.dashboard.destroy();
	}

	@Test
	void showsWhatEveryPartSaid() {
		PanelState state = this.dashboard.state(null);

		assertThat(state.counts().total()).isEqualTo(10);
		assertThat(state.counts().stale()).isFalse();
		assertThat(state.queues().registro()).isEqualTo(4);
		assertThat(state.queues().deadLetters()).isEqualTo(1);
		assertThat(state.parts()).extracting(PartHealth::name).containsExactly("app1", "reporte", "logger", "broker");
		assertThat(state.parts()).allSatisfy(part -> assertThat(part.up()).isTrue());
		assertThat(state.log().events()).hasSize(1);
		assertThat(state.clients()).containsExactly("app1");
	}

	@Test
	void keepsTheLastKnownCountsMarkedStaleWhileReporteIsDown() {
		this.dashboard.sample();
		given(this.backends.summary()).willThrow(new ResourceAccessException("Connection refused"));
		this.clock.advance(Duration.ofSeconds(2));

		this.dashboard.sample();
		PanelState state = this.dashboard.state(null);

		assertThat(state.counts().total()).isEqualTo(10);
		assertThat(state.counts().services()).extracting(PanelState.ServiceCount::serviceId).containsExactly("app1");
		assertThat(state.counts().stale()).isTrue();
		assertThat(state.counts().asOf()).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
		assertThat(state.queues().stale()).isFalse();
	}

	@Test
	void saysTheBrokerIsUnreachableAndKeepsTheLastDepths() {
		this.dashboard.sample();
		willThrow(new AmqpConnectException(new java.net.ConnectException("refused"))).given(this.backends).queueDepths();

		this.dashboard.sample();
		PanelState state = this.dashboard.state(null);

		assertThat(state.queues().stale()).isTrue();
		assertThat(state.queues().registro()).isEqualTo(4);
		assertThat(state.parts()).filteredOn(part -> part.name().equals("broker")).singleElement()
			.satisfies(broker -> assertThat(broker.status()).isEqualTo("UNREACHABLE"));
	}

	@Test
	void keepsTheLastLogTailOfEachFilterWhileLoggerIsDown() {
		assertThat(this.dashboard.state("app1").log().stale()).isFalse();
		given(this.backends.logTail(eq("app1"), anyInt())).willThrow(new ResourceAccessException("timed out"));
		given(this.backends.logTail(eq("app2"), anyInt())).willThrow(new ResourceAccessException("timed out"));

		PanelState.LogTail app1 = this.dashboard.state("app1").log();
		PanelState.LogTail app2 = this.dashboard.state("app2").log();

		assertThat(app1.stale()).isTrue();
		assertThat(app1.events()).hasSize(1);
		assertThat(app2.stale()).isTrue();
		assertThat(app2.events()).isEmpty();
		assertThat(app2.asOf()).isNull();
	}

	@Test
	void computesRegistrationsPerSecondBetweenSamples() {
		this.dashboard.sample();
		answersTotal(30);
		this.clock.advance(Duration.ofSeconds(2));
		this.dashboard.sample();
		answersTotal(30);
		this.clock.advance(Duration.ofSeconds(2));
		this.dashboard.sample();

		assertThat(this.dashboard.state(null).rates()).extracting(PanelState.RatePoint::perSecond)
			.containsExactly(10.0, 0.0);
	}

	@Test
	void neverShowsANegativeRateWhenReporteStartsCountingAgain() {
		this.dashboard.sample();
		answersTotal(2);
		this.clock.advance(Duration.ofSeconds(2));
		this.dashboard.sample();

		assertThat(this.dashboard.state(null).rates()).extracting(PanelState.RatePoint::perSecond).containsExactly(0.0);
	}

	@Test
	void forgetsSamplesOlderThanTheWindow() {
		this.dashboard.sample();
		for (int i = 0; i < 200; i++) {
			this.clock.advance(Duration.ofSeconds(2));
			this.dashboard.sample();
		}

		assertThat(this.dashboard.state(null).rates()).hasSizeLessThanOrEqualTo(150);
	}

	private void answersTotal(long total) {
		given(this.backends.summary()).willReturn(
				new Summary(total, 0, List.of(new ServiceSummary("app1", total, "2026-11-29 12:00:00"))));
	}

}
