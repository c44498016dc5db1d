package dev.registro.reporte.counting;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.Registro;
import dev.registro.contract.RegistroCodec;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.PublishFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Counts what arrives on {@code registro}, a batch at a time. Parses each body itself
 * (JSON or the original's {@code str(dict)}, whatever the headers claim); sends what it
 * cannot count to {@code registro.dlq} with the reason, confirmed; has the
 * {@link CountKeeper} keep what the batch changed (saved to disk, or recorded in the
 * changelog); and only then acknowledges the batch. A message delivered again after a
 * crash is recognised by its id and not counted twice. Nothing goes back to the queue: a
 * copy to the dead-letter queue or a save that fails is retried, with the intake paused,
 * until it succeeds. The copies of a batch go out together and are confirmed together, so
 * that a flood of garbage costs no round trip per message; the central log hears of them
 * in summaries.
 */
@Component
class RegistroListener {

	static final String LISTENER_ID = "registro";

	private static final Logger log = LoggerFactory.getLogger(RegistroListener.class);

	private final Tally tally;

	private final CountKeeper keeper;

	private final RegistroCodec codec;

	private final ConfirmingPublisher publisher;

	private final RejectionSummaries rejections;

	private final PausingRetry writes;

	private final MeterRegistry meters;

	private final Counter consumed;

	private final Counter counted;

	private final Counter duplicates;

	private final int maxServices;

	RegistroListener(Tally tally, CountKeeper keeper, ConfirmingPublisher publisher, RejectionSummaries rejections,
			PausingRetry writes, ReporteProperties properties, MeterRegistry meters) {
		this.tally = tally;
		this.keeper = keeper;
		this.codec = new RegistroCodec(properties.maxBodyBytes());
		this.maxServices = properties.maxServices();
		this.publisher = publisher;
		this.rejections = rejections;
		this.writes = writes;
		this.meters = meters;
		this.consumed = Counter.builder("registro.consumed")
			.description("Messages taken from the registro queue")
			.register(meters);
		this.counted = Counter.builder("registro.counted").description("Registrations counted").register(meters);
		this.duplicates = Counter.builder("registro.duplicates")
			.description("Messages delivered again after they were handled, not counted twice")
			.register(meters);
	}

	@RabbitListener(id = LISTENER_ID, queues = Topology.REGISTRO_QUEUE, containerFactory = "registroBatches")
	void onMessages(List<Message> messages, Channel channel) throws IOException, InterruptedException {
		BatchListeners.acknowledgeAfter(messages, channel, () -> {
			Batch batch = new Batch();
			for (Message message : messages) {
				handle(message, batch);
			}
			for (DeadLetter copy : batch.copies) {
				copy.awaitConfirm();
			}
			this.keeper.keep(batch.change(messages.get(0).getMessageProperties().getConsumerTag()));
		});
	}

	/** Counts one message into the batch, or starts its copy to the dead-letter queue. */
	private void handle(Message message, Batch batch) {
		String messageId = message.getMessageProperties().getMessageId();
		this.consumed.increment();
		if (this.tally.handled(messageId) || (messageId != null && !batch.ids.add(messageId))) {
			this.duplicates.increment();
			log.debug("Delivered again, already handled: message_id={}", messageId);
			return;
		}
		try {
			Registro registro = this.codec.decode(message.getBody());
			String serviceId = registro.serviceId();
			if (!this.tally.knows(serviceId) && !batch.services.contains(serviceId)
					&& this.tally.services() + batch.services.size() >= this.maxServices) {
				throw new InvalidMessageException(Kind.TOO_MANY_SERVICES,
						"already counting " + this.maxServices + " distinct service ids, the most it keeps");
			}
			if (!this.tally.knows(serviceId)) {
				batch.services.add(serviceId);
			}
			batch.counted.add(new Change.Registration(serviceId, registro.timestamp(), messageId));
		}
		catch (InvalidMessageException ex) {
			batch.reject(message, ex);
			return;
		}
		catch (RuntimeException ex) {
			log.error("Failed on message_id={} in a way nothing expects; it goes to {}", messageId,
					Topology.REGISTRO_DLQ, ex);
			batch.reject(message, new InvalidMessageException(Kind.HANDLING_FAILED, ex.toString()));
			return;
		}
		this.counted.increment();
		log.debug("Counted message_id={}", messageId);
	}

	/**
	 * Starts the copy of a message to the DLQ, with the reason; the batch waits for its
	 * confirm.
	 */
	private DeadLetter deadLetter(Message message, InvalidMessageException problem) {
		MessageProperties properties = message.getMessageProperties();
		String messageId = properties.getMessageId();
		log.debug("Rejected message_id={} app_id={} kind={}: {}", messageId, properties.getAppId(),
				problem.kind().tag(), problem.getMessage());
		properties.setHeader(Topology.REJECTION_KIND_HEADER, problem.kind().tag());
		properties.setHeader(Topology.REJECTION_REASON_HEADER, problem.getMessage());
		if (messageId == null) {
			// The original's producers set no id; a confirmed publish needs one to tell a
			// return apart.
			properties.setMessageId("reporte-" + UUID.randomUUID());
		}
		this.meters.counter("registro.rejected", "kind", problem.kind().tag()).increment();
		this.rejections.rejected(problem.kind(), properties.getAppId(), properties.getMessageId(),
				problem.getMessage());
		return new DeadLetter(message, publishToDlq(message));
	}

	private CompletableFuture<Void> publishToDlq(Message message) {
		return this.publisher.publish("", Topology.REGISTRO_DLQ, message);
	}

	/** What a batch counts and rejects, before it is kept. */
	private final class Batch {

		private final Set<String> ids = new HashSet<>();

		private final Set<String> services = new HashSet<>();

		private final List<Change.Registration> counted = new ArrayList<>();

		private final List<String> rejected = new ArrayList<>();

		private int rejectedWithoutId;

		private final List<DeadLetter> copies = new ArrayList<>();

		void reject(Message message, InvalidMessageException problem) {
			String messageId = message.getMessageProperties().getMessageId();
			if (messageId != null) {
				this.rejected.add(messageId);
			}
			else {
				this.rejectedWithoutId++;
			}
			this.copies.add(deadLetter(message, problem));
		}

		Change change(String consumerTag) {
			return new Change(keeper.source(consumerTag), this.counted, this.rejected, this.rejectedWithoutId);
		}

	}

	/** A copy on its way to the dead-letter queue. */
	private final class DeadLetter {

		private final Message message;

		private CompletableFuture<Void> confirm;

		DeadLetter(Message message, CompletableFuture<Void> confirm) {
			this.message = message;
			this.confirm = confirm;
		}

		/**
		 * Waits for the broker's confirm, publishing the copy again, paused, until it
		 * comes.
		 */
		void awaitConfirm() throws InterruptedException {
			writes.untilDone("copying message_id=" + this.message.getMessageProperties().getMessageId() + " to "
					+ Topology.REGISTRO_DLQ, () -> {
						try {
							this.confirm.join();
						}
						catch (CompletionException ex) {
							this.confirm = publishToDlq(this.message);
							throw new IOException(PublishFailedException.from(ex).getMessage(), ex);
						}
					});
		}

	}

}
