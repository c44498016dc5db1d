package dev.registro.support.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.registro.contract.LogBatch;
import dev.registro.contract.LogEvent.Level;
import dev.registro.support.messaging.PublishFailedException.Reason;
import dev.registro.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class LogEventsTests {

	private final ConfirmingPublisher publisher = mock(ConfirmingPublisher.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final LogEvents events = new LogEvents(this.publisher, "reporte", this.meters,
			Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC), Duration.ofMillis(50), 8192,
			Duration.ofMillis(10), Duration.ofMinutes(10));

	@AfterEach
	void stop() {
		this.events.close();
	}

	@Test
	void publishesTheEventsOfAFewMillisecondsAsOneBatchOfPersistentJsonToTheLogsFanout() {
		given(this.publisher.publish(eq("logs"), eq(""), any(Message.class)))
			.willReturn(CompletableFuture.completedFuture(null));

		CompletableFuture<Void> first = this.events.publish(Level.WARN, "rejected", "m-1");
		CompletableFuture<Void> second = this.events.publish(Level.INFO, "registration confirmed", "m-2");
		assertThat(CompletableFuture.allOf(first, second)).succeedsWithin(Duration.ofSeconds(1));

		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher).publish(eq("logs"), eq(""), sent.capture());
		String[] lines = new String(sent.getValue().getBody(), StandardCharsets.UTF_8).split("\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).matches("\\{\"event_id\":\"[0-9a-f-]{36}\","
				+ "\"service_id\":\"reporte\",\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"WARN\",\"message\":\"rejected\",\"message_id\":\"m-1\"}");
		assertThat(lines[1]).contains("\"message\":\"registration confirmed\",\"message_id\":\"m-2\"");
		assertThat(lines[0].substring(0, 50)).isNotEqualTo(lines[1].substring(0, 50));
		MessageProperties properties = sent.getValue().getMessageProperties();
		assertThat(properties.getType()).isEqualTo(LogBatch.TYPE);
		assertThat(properties.getMessageId()).isNotBlank().isNotEqualTo("m-1");
		assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		assertThat(properties.getAppId()).isEqualTo("reporte");
		assertThat(this.meters.counter("registro.log.events", "outcome", "confirmed").count()).isEqualTo(2);
	}

	@Test
	void startsAnotherBatchWhenOneIsFullAndSendsWhatWaitsWhenClosed() {
		given(this.publisher.publish(eq("logs"), eq(""), any(Message.class)))
			.willReturn(CompletableFuture.completedFuture(null));
		LogEvents small = new LogEvents(this.publisher, "reporte", this.meters, Clock.systemUTC(),
				Duration.ofMinutes(1), 400, Duration.ofMillis(10), Duration.ofMinutes(10));

		List<CompletableFuture<Void>> done = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			done.add(small.publish(Level.INFO, "event " + i, "m-" + i));
		}
		small.close();

		assertThat(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)))
			.succeedsWithin(Duration.ofSeconds(1));
		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher, times(3)).publish(eq("logs"), eq(""), sent.capture());
		assertThat(sent.getAllValues())
			.allSatisfy(message -> assertThat(message.getBody().length).isLessThanOrEqualTo(400));
		assertThat(sent.getAllValues()).extracting(message -> new String(message.getBody(), StandardCharsets.UTF_8))
			.flatExtracting(body -> List.of(body.split("\n")))
			.hasSize(5);
	}

	@Test
	void publishesAnUnconfirmedEventAgainWithTheSameIdUntilTheBrokerTakesIt() {
		given(this.publisher.publish(eq("logs"), eq(""), any(Message.class))).willReturn(unreachable(), unreachable(),
				CompletableFuture.completedFuture(null));

		assertThat(this.events.publish(Level.INFO, "registration confirmed", "m-1"))
			.succeedsWithin(Duration.ofSeconds(5));

		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher, times(3)).publish(eq("logs"), eq(""), sent.capture());
		assertThat(sent.getAllValues()).extracting(message -> message.getMessageProperties().getMessageId())
			.containsOnly(sent.getValue().getMessageProperties().getMessageId());
		assertThat(sent.getAllValues()).extracting(message -> new String(message.getBody(), StandardCharsets.UTF_8))
			.containsOnly(new String(sent.getValue().getBody(), StandardCharsets.UTF_8));
		assertThat(this.meters.counter("registro.log.events", "outcome", "retried").count()).isEqualTo(2);
		assertThat(this.meters.counter("registro.log.events", "outcome", "confirmed").count()).isEqualTo(1);
		assertThat(this.meters.counter("registro.log.events", "outcome", "failed").count()).isZero();
	}

	@Test
	void givesAnEventUpAfterItsTimeCountsItAndNeverFailsTheCaller() {
		LogEvents impatient = new LogEvents(this.publisher, "reporte", this.meters, Clock.systemUTC(), Duration.ZERO,
				8192, Duration.ofMillis(10), Duration.ZERO);
		given(this.publisher.publish(eq("logs"), eq(""), any(Message.class))).willReturn(unreachable());

		assertThat(impatient.publish(Level.INFO, "started", null)).succeedsWithin(Duration.ofSeconds(1));

		assertThat(this.meters.counter("registro.log.events", "outcome", "failed").count()).isEqualTo(1);
		impatient.close();
	}

	@Test
	void neverPublishesACopyLaterThanTheHorizonPastTheEventsTime() {
		Instant start = Instant.parse("2026-11-30T10:00:00Z");
		MutableClock clock = new MutableClock(start);
		List<Instant> sentAt = new ArrayList<>();
		given(this.publisher.publish(eq("logs"), eq(""), any(Message.class))).willAnswer(invocation -> {
			sentAt.add(clock.instant());
			// a publish that takes a while, and fails
			clock.advance(Duration.ofMillis(150));
			return unreachable();
		});
		LogEvents events = new LogEvents(this.publisher, "reporte", this.meters, clock, Duration.ZERO, 8192,
				Duration.ofMillis(10), Duration.ofSeconds(1));

		assertThat(events.publish(Level.INFO, "registration confirmed", "m-1")).succeedsWithin(Duration.ofSeconds(10));

		assertThat(sentAt).hasSizeGreaterThan(3).allSatisfy(at -> assertThat(at).isBefore(start.plusSeconds(1)));
		assertThat(this.meters.counter("registro.log.events", "outcome", "failed").count()).isEqualTo(1);
		events.close();
	}

	private static CompletableFuture<Void> unreachable() {
		return CompletableFuture
			.failedFuture(new PublishFailedException(Reason.UNREACHABLE, "broker unreachable", null));
	}

}
