package dev.registro.reporte.counting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.LogEvents;
import dev.registro.support.messaging.PublishFailedException;
import dev.registro.support.messaging.PublishFailedException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** The listener's batch rules, without a broker: count, dead-letter, save, and only then ack. */
class RegistroListenerTests {

	@TempDir
	Path directory;

	private final Tally tally = new Tally();

	private final ConfirmingPublisher publisher = mock(ConfirmingPublisher.class);

	private final Channel channel = mock(Channel.class);

	private CountStore store;

	private RegistroListener listener;

	private long tag;

	@BeforeEach
	void listener() throws IOException {
		this.store = new CountStore(this.directory.resolve("counts.json"));
		this.listener = listener(true);
		given(this.publisher.publish(eq(""), eq(Topology.REGISTRO_DLQ), any(Message.class)))
			.willReturn(CompletableFuture.completedFuture(null));
	}

	@Test
	void savesTheCountsBeforeItAcksTheWholeBatchAtOnce() throws IOException {
		this.listener.onMessages(List.of(registration("app1", "m-1"), registration("app2", "m-2")), this.channel);

		verify(this.channel).basicAck(2, true);
		assertThat(this.store.load().services()).containsOnlyKeys("app1", "app2");
		assertThat(this.store.load().recent()).containsExactly("m-1", "m-2");
	}

	@Test
	void countsAMessageDeliveredAgainOnlyOnce() throws IOException {
		this.listener.onMessages(List.of(registration("app1", "m-1")), this.channel);
		this.listener.onMessages(List.of(registration("app1", "m-1"), registration("app1", "m-2")), this.channel);

		assertThat(this.tally.counts()).containsEntry("app1", 2L);
		verify(this.channel).basicAck(3, true);
	}

	@Test
	void deadLettersWhatItCannotCountWithTheReasonAndAcksItWithTheRest() throws IOException {
		this.listener.onMessages(List.of(registration("app1", "m-1"), message("{oops", "m-2")), this.channel);

		ArgumentCaptor<Message> dead = ArgumentCaptor.forClass(Message.class);
		verify(this.publisher).publish(eq(""), eq(Topology.REGISTRO_DLQ), dead.capture());
		assertThat(dead.getValue().getMessageProperties().getHeaders()).containsEntry(Topology.REJECTION_KIND_HEADER,
				"malformed");
		assertThat(this.tally.summary().rejected()).isEqualTo(1);
		verify(this.channel).basicAck(2, true);
	}

	@Test
	void handsTheBatchBackWhenTheDeadLetterQueueDoesNotConfirm() throws IOException {
		given(this.publisher.publish(eq(""), eq(Topology.REGISTRO_DLQ), any(Message.class))).willReturn(
				CompletableFuture.failedFuture(new PublishFailedException(Reason.TIMEOUT, "no confirm", null)));

		this.listener.onMessages(List.of(registration("app1", "m-1"), message("{oops", "m-2")), this.channel);

		verify(this.channel).basicNack(2, true, true);
		verify(this.channel, never()).basicAck(anyLong(), anyBoolean());
		// What was counted is saved and remembered, so the redelivery does not count it twice.
		this.listener.onMessages(List.of(registration("app1", "m-1")), this.channel);
		assertThat(this.tally.counts()).containsEntry("app1", 1L);
	}

	@Test
	void deadLettersRegistrationsOfMoreServiceIdsThanItKeeps() throws IOException {
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
	void inMemoryOnlyAcksWhatItCountedWithoutWritingTheStateFile() throws IOException {
		listener(false).onMessages(List.of(registration("app1", "m-1"), registration("app1", "m-2")), this.channel);

		assertThat(this.tally.counts()).containsEntry("app1", 2L);
		verify(this.channel).basicAck(2, true);
		assertThat(this.store.file()).doesNotExist();
	}

	private RegistroListener listener(boolean durable) {
		return new RegistroListener(this.tally, this.store, this.publisher, mock(LogEvents.class),
				new ReporteProperties(16384, this.directory.resolve("counts.json"), 250, 3, durable),
				new SimpleMeterRegistry());
	}

	private Message registration(String serviceId, String messageId) {
		return message("{\"service_id\":\"" + serviceId + "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}",
				messageId);
	}

	private Message message(String body, String messageId) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setDeliveryTag(++this.tag);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
