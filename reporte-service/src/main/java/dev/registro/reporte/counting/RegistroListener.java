package dev.registro.reporte.counting;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Registro;
import dev.registro.contract.RegistroCodec;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.LogEvents;
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
 * Counts what arrives on {@code registro}, a batch at a time. Parses each body itself (JSON or
 * the original's {@code str(dict)}, whatever the headers claim); sends what it cannot count to
 * {@code registro.dlq} with the reason, confirmed; saves the counts to disk; and only then
 * acknowledges the batch. A message delivered again after a crash is recognised by its id and
 * not counted twice. Nothing goes back to the queue: a copy to the dead-letter queue or a save
 * that fails is retried, with the intake paused, until it succeeds.
 */
@Component
class RegistroListener {

	private static final Logger log = LoggerFactory.getLogger(RegistroListener.class);

	private final Tally tally;

	private final CountStore store;

	private final RegistroCodec codec;

	private final ConfirmingPublisher publisher;

	private final LogEvents logEvents;

	private final PausingRetry writes;

	private final MeterRegistry meters;

	private final Counter consumed;

	private final Counter counted;

	private final Counter duplicates;

	private final int maxServices;

	private final boolean durable;

	RegistroListener(Tally tally, CountStore store, ConfirmingPublisher publisher, LogEvents logEvents,
			PausingRetry writes, ReporteProperties properties, MeterRegistry meters) {
		this.tally = tally;
		this.store = store;
		this.codec = new RegistroCodec(properties.maxBodyBytes());
		this.maxServices = properties.maxServices();
		this.durable = properties.durable();
		this.publisher = publisher;
		this.logEvents = logEvents;
		this.writes = writes;
		this.meters = meters;
		this.consumed = Counter.builder("registro.consumed").description("Messages taken from the registro queue")
			.register(meters);
		this.counted = Counter.builder("registro.counted").description("Registrations counted").register(meters);
		this.duplicates = Counter.builder("registro.duplicates")
			.description("Messages delivered again after they were handled, not counted twice")
			.register(meters);
	}

	@RabbitListener(id = "registro", queues = Topology.REGISTRO_QUEUE, containerFactory = "registroBatches")
	void onMessages(List<Message> messages, Channel channel) throws IOException, InterruptedException {
		BatchListeners.acknowledgeAfter(messages, channel, () -> {
			for (Message message : messages) {
				handle(message);
			}
			if (this.durable) {
				this.writes.untilDone("saving the counts to " + this.store.file(),
						() -> this.store.save(this.tally.snapshot()));
			}
		});
	}

	/** Counts or dead-letters one message. */
	private void handle(Message message) throws InterruptedException {
		String messageId = message.getMessageProperties().getMessageId();
		this.consumed.increment();
		if (this.tally.handled(messageId)) {
			this.duplicates.increment();
			log.debug("Delivered again, already handled: message_id={}", messageId);
			return;
		}
		try {
			Registro registro = this.codec.decode(message.getBody());
			if (!this.tally.knows(registro.serviceId()) && this.tally.services() >= this.maxServices) {
				throw new InvalidMessageException(Kind.TOO_MANY_SERVICES,
						"already counting " + this.maxServices + " distinct service ids, the most it keeps");
			}
			this.tally.count(registro, messageId);
		}
		catch (InvalidMessageException ex) {
			deadLetter(message, ex);
			return;
		}
		catch (RuntimeException ex) {
			log.error("Failed on message_id={} in a way nothing expects; it goes to {}", messageId,
					Topology.REGISTRO_DLQ, ex);
			deadLetter(message, new InvalidMessageException(Kind.HANDLING_FAILED, ex.toString()));
			return;
		}
		this.counted.increment();
		log.debug("Counted message_id={}", messageId);
	}

	/** Moves a copy of the message to the DLQ with the reason, once the broker confirmed it. */
	private void deadLetter(Message message, InvalidMessageException problem) throws InterruptedException {
		MessageProperties properties = message.getMessageProperties();
		String messageId = properties.getMessageId();
		String appId = properties.getAppId();
		log.warn("Rejected message_id={} app_id={} kind={}: {}", messageId, appId, problem.kind().tag(),
				problem.getMessage());
		properties.setHeader(Topology.REJECTION_KIND_HEADER, problem.kind().tag());
		properties.setHeader(Topology.REJECTION_REASON_HEADER, problem.getMessage());
		if (messageId == null) {
			// The original's producers set no id; a confirmed publish needs one to tell a return apart.
			properties.setMessageId("reporte-" + UUID.randomUUID());
		}
		this.writes.untilDone("copying message_id=" + properties.getMessageId() + " to " + Topology.REGISTRO_DLQ, () -> {
			try {
				this.publisher.publish("", Topology.REGISTRO_DLQ, message).join();
			}
			catch (CompletionException ex) {
				throw new IOException(PublishFailedException.from(ex).getMessage(), ex);
			}
		});
		this.tally.reject(messageId);
		this.meters.counter("registro.rejected", "kind", problem.kind().tag()).increment();
		String producer = Registro.isValidServiceId(appId) ? " from " + appId : "";
		this.logEvents.publish(Level.WARN, "rejected a message" + producer + " (" + problem.kind().tag() + "): "
				+ problem.getMessage() + "; it is in " + Topology.REGISTRO_DLQ, properties.getMessageId());
	}

}
