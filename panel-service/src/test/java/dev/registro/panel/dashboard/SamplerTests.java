package dev.registro.panel.dashboard;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class SamplerTests {

	static final PanelProperties PROPERTIES = new PanelProperties(URI.create("http://reporte"),
			URI.create("http://logger"),
			List.of(new PanelProperties.Client("app1", URI.create("http://app1"), "/cliente/uno")), "admin", "123",
			Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5), 15);

	private final Parts parts = mock(Parts.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

	private final RateWindow rates = new RateWindow(Duration.ofMinutes(5));

	private final Sampler sampler = new Sampler(this.parts, PROPERTIES, this.rates, this.clock);

	@BeforeEach
	void everyPartAnswers() {
		given(this.parts.health(any(), any())).willAnswer(invocation -> new PartHealth(invocation.getArgument(0), "UP",
				"health.ready", List.of(), this.clock.instant()));
		given(this.parts.queueDepths()).willReturn(new long[] { 4, 1 });
		answersTotal(this.parts, 10);
	}

	@AfterEach
	void stop() {
		this.sampler.close();
	}

	@Test
	void asksEveryPartBeforeTheFirstAnswerAndKeepsWhatTheySaid() {
		assertThat(this.sampler.counts().total()).isEqualTo(10);
		assertThat(this.sampler.counts().stale()).isFalse();
		assertThat(this.sampler.queues().registro()).isEqualTo(4);
		assertThat(this.sampler.queues().deadLetters()).isEqualTo(1);
		assertThat(this.sampler.health()).extracting(PartHealth::name)
			.containsExactly("app1", "reporte", "logger", "broker");
		assertThat(this.sampler.health()).allSatisfy(part -> assertThat(part.up()).isTrue());
		verify(this.parts, times(1)).summary();
	}

	@Test
	void keepsTheLastKnownCountsMarkedStaleWhileReporteIsDown() {
		this.sampler.sample();
		given(this.parts.summary()).willThrow(new ResourceAccessException("Connection refused"));
		this.clock.advance(Duration.ofSeconds(2));

		this.sampler.sample();

		assertThat(this.sampler.counts().total()).isEqualTo(10);
		assertThat(this.sampler.counts().services()).extracting(PanelState.ServiceCount::serviceId)
			.containsExactly("app1");
		assertThat(this.sampler.counts().stale()).isTrue();
		assertThat(this.sampler.counts().asOf()).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
		assertThat(this.sampler.queues().stale()).isFalse();
	}

	@Test
	void saysTheBrokerIsUnreachableAndKeepsTheLastDepths() {
		this.sampler.sample();
		willThrow(new AmqpConnectException(new ConnectException("refused"))).given(this.parts).queueDepths();

		this.sampler.sample();

		assertThat(this.sampler.queues().stale()).isTrue();
		assertThat(this.sampler.queues().registro()).isEqualTo(4);
		assertThat(this.sampler.health()).filteredOn(part -> part.name().equals("broker"))
			.singleElement()
			.satisfies(broker -> assertThat(broker.status()).isEqualTo("UNREACHABLE"));
	}

	@Test
	void recordsEveryTotalForTheRates() {
		this.sampler.sample();
		answersTotal(this.parts, 30);
		this.clock.advance(Duration.ofSeconds(2));
		this.sampler.sample();

		assertThat(this.rates.rates()).extracting(PanelState.RatePoint::perSecond).containsExactly(10.0);
	}

	static void answersTotal(Parts parts, long total) {
		given(parts.summary()).willReturn(new PartAnswers.Summary(total, 0,
				List.of(new PartAnswers.ServiceSummary("app1", total, "2026-11-29 12:00:00"))));
	}

}
