package dev.registro.reporte.counting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.PublishFailedException;
import dev.registro.support.messaging.PublishFailedException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The listener's batch rules, without a broker: count, dead-letter, save, and only then
 * ack; nothing handed back to the queue.
 */
class RegistroListenerTests {

	@TempDir
	Path directory;

	private final Tally tally = new Tally(Clock.systemUTC());

	private final ConfirmingPublisher publisher = mock(ConfirmingPublisher.class);

	private final Channel channel = mock(Channel.class);

	private CountStore store;

	private RegistroListener listener;

	private final PausingRetry writes = new PausingRetry(Duration.ofMillis(1), Duration.ofMillis(5), Clock.systemUTC());

	private long tag;

	@BeforeEach
	void listener() throws IOException {
		this.store = new CountStore(this.directory.resolve("counts.json"));
		this.listener = listener(true);
		given(this.publisher.publish(eq(""), eq(Topology.REGISTRO_DLQ), any(Message.class)))
			.willReturn(CompletableFuture.completedFuture(null));
	}

	@Test
	void savesTheCountsBeforeItAcksTheWholeBatchAtOnce() throws Exception {
		this.listener.onMessages(List.of(registration("app1", "m-1"), registration("app2", "m-2")), this.channel);

		verify(this.channel).basicAck(2, true);
		assertThat(this.store.load().services()).containsOnlyKeys("app1", "app2");
		assertThat(this.store.load().recent()).containsExactly("m-1", "m-2");
	}

	@Test
	void countsAMessageDeliveredAgainOnlyOnce() throws Exception {
		this.listener.onMessages(List.of(registration("app1", "m-1")), this.channel);
		this.listener.onMessages(List.of(registration("app1", "m-1"), registration("app1", "m-2")), this.channel);

		assertThat(this.tally.counts()).containsEntry("app1", 2L);
		verify(this.channel).basicAck(3, true);
	}

	@Test
	void deadLettersWhatItCannotCountWithTheReasonAndAcksItWithTheRest() throws Exception {
		this.listener.onMessages(List.of(registration("app1", "m-1"), message("{oops", "m-2")), this.channel);

		ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher).publish(eq(""), eq(Topology.REGISTRO_DLQ), dead.capture());
		assertThat(dead.getValue().getMessageProperties().getHeaders()).containsEntry(Topology.REJECTION_KIND_HEADER,
				"malformed");
		assertThat(this.tally.summary().rejected()).isEqualTo(1);
		verify(this.channel).basicAck(2, true);
	}

	@Test
	void retriesTheCopyToTheDeadLetterQueueUntilConfirmedAndNeverHandsTheBatchBack() throws Exception {
		given(this.publisher.publish(eq(""), eq(Topology.REGISTRO_DLQ), any(Message.class)))
			.willReturn(CompletableFuture.failedFuture(new PublishFailedException(Reason.TIMEOUT, "no confirm", null)))
			.willReturn(CompletableFuture.failedFuture(new PublishFailedException(Reason.UNREACHABLE, "down", null)))
			.willReturn(CompletableFuture.completedFuture(null));

		this.listener.onMessages(List.of(registration("app1", "m-1"), message("{oops", "m-2")), this.channel);

		verify(this.publisher, times(3)).publish(eq(""), eq(Topology.REGISTRO_DLQ), any(Message.class));
		verify(this.channel).basicAck(2, true);
		verify(this.channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
		assertThat(this.tally.counts()).containsEntry("app1", 1L);
		assertThat(this.tally.summary().rejected()).isEqualTo(1);
		assertThat(this.writes.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void waitsWhileTheCountsCannotBeSavedSaysWhyAndAcksOnceTheyAre() throws Exception {
		CountStore failing = spy(this.store);
		List<Health> meanwhile = new ArrayList<>();
		willAnswer(invocation -> {
			meanwhile.add(this.writes.health());
			throw new IOException("No space left on device");
		}).willAnswer(invocation -> {
			meanwhile.add(this.writes.health());
			throw new IOException("No space left on device");
		}).willCallRealMethod().given(failing).save(any(Snapshot.class));

		listener(failing, true).onMessages(List.of(registration("app1", "m-1"), registration("app1", "m-2")),
				this.channel);

		assertThat(meanwhile.get(1).getStatus()).isEqualTo(Status.DOWN);
		assertThat(meanwhile.get(1).getDetails())
			.containsEntry("reason", "java.io.IOException: No space left on device")
			.containsEntry("attempts", 1);
		verify(failing, times(3)).save(any(Snapshot.class));
		verify(this.channel).basicAck(2, true);
		verify(this.channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
		assertThat(this.store.load().services().get("app1").count()).isEqualTo(2);
		assertThat(this.writes.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void setsAsideAMessageItFailsOnUnexpectedlyWithTheErrorAndCountsTheRest() throws Exception {
		Tally breaking = spy(this.tally);
		willThrow(new IllegalStateException("a bug")).given(breaking).knows("bug");
		RegistroListener listener = new RegistroListener(breaking,
				new StateFileKeeper(breaking, this.store, this.writes, true), this.publisher,
				mock(RejectionSummaries.class), this.writes, properties(true), new SimpleMeterRegistry());

		listener.onMessages(List.of(registration("bug", "m-1"), registration("app1", "m-2")), this.channel);

		ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher).publish(eq(""), eq(Topology.REGISTRO_DLQ), dead.capture());
		assertThat(dead.getValue().getMessageProperties().getMessageId()).isEqualTo("m-1");
		assertThat(dead.getValue().getMessageProperties().getHeaders())
			.containsEntry(Topology.REJECTION_KIND_HEADER, "handling_failed")
			.containsEntry(Topology.REJECTION_REASON_HEADER, "java.lang.IllegalStateException: a bug");
		assertThat(breaking.counts()).containsOnlyKeys("app1");
		verify(this.channel).basicAck(2, true);
	}

	@Test
	void deadLettersABodyWithoutAnIdOnItsFirstDelivery() throws Exception {
		this.listener.onMessages(List.of(message("not a registration", null)), this.channel);

		ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher).publish(eq(""), eq(Topology.REGISTRO_DLQ), dead.capture());
		assertThat(dead.getValue().getMessageProperties().getMessageId()).startsWith("reporte-");
		assertThat(dead.getValue().getMessageProperties().getHeaders()).containsEntry(Topology.REJECTION_KIND_HEADER,
				"malformed");
		verify(this.channel).basicAck(1, true);
	}

	@Test
	void deadLettersRegistrationsOfMoreServiceIdsThanItKeeps() throws Exception {
		List<Message> flood = new ArrayList<>();
		for (int i = 1; i <= 5; i++) {
			flood.add(registration("flood-" + i, "m-" + i));
		}
		flood.add(registration("flood-1", "m-6"));

		this.listener.onMessages(flood, this.channel);

		assertThat(this.tally.counts()).containsOnlyKeys("flood-1", "flood-2", "flood-3").containsEntry("flood-1", 2L);
		ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher, times(2)).publish(eq(""), eq(Topology.REGISTRO_DLQ), dead.capture());
		assertThat(dead.getAllValues()).allSatisfy(message -> assertThat(message.getMessageProperties().getHeaders())
			.containsEntry(Topology.REJECTION_KIND_HEADER, "too_many_services"));
		verify(this.channel).basicAck(6, true);
	}

	@Test
	void inMemoryOnlyAcksWhatItCountedWithoutWritingTheStateFile() throws Exception {
		listener(false).onMessages(List.of(registration("app1", "m-1"), registration("app1", "m-2")), this.channel);

		assertThat(this.tally.counts()).containsEntry("app1", 2L);
		verify(this.channel).basicAck(2, true);
		assertThat(this.store.file()).doesNotExist();
	}

	private RegistroListener listener(boolean durable) {
		return listener(this.store, durable);
	}

	private RegistroListener listener(CountStore store, boolean durable) {
		return new RegistroListener(this.tally, new StateFileKeeper(this.tally, store, this.writes, durable),
				this.publisher, mock(RejectionSummaries.class), this.writes, properties(durable),
				new SimpleMeterRegistry());
	}

	private ReporteProperties properties(boolean durable) {
		return new ReporteProperties(16384, this.directory.resolve("counts.json"), 250, 3, durable,
				Duration.ofSeconds(10), ReporteProperties.Store.FILE, Duration.ofSeconds(30));
	}

	private Message registration(String serviceId, String messageId) {
		return message(
				"{\"service_id\":\"" + serviceId + "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}",
				messageId);
	}

	private Message message(String body, String messageId) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setDeliveryTag(++this.tag);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
