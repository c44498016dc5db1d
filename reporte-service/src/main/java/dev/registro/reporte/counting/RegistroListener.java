package dev.registro.reporte.counting;

import java.io.IOException;
import java.util.List;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Registro;
import dev.registro.contract.RegistroCodec;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.LogEvents;
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
 * not counted twice.
 */
@Component
class RegistroListener {

	private static final Logger log = LoggerFactory.getLogger(RegistroListener.class);

	private final Tally tally;

	private final CountStore store;

	private final RegistroCodec codec;

	private final ConfirmingPublisher publisher;

	private final LogEvents logEvents;

	private final MeterRegistry meters;

	private final Counter consumed;

	private final Counter counted;

	private final Counter duplicates;

	private final int maxServices;

	private final boolean durable;

	RegistroListener(Tally tally, CountStore store, ConfirmingPublisher publisher, LogEvents logEvents,
			ReporteProperties properties, MeterRegistry meters) {
		this.tally = tally;
		this.store = store;
		this.codec = new RegistroCodec(properties.maxBodyBytes());
		this.maxServices = properties.maxServices();
		this.durable = properties.durable();
		this.publisher = publisher;
		this.logEvents = logEvents;
		this.meters = meters;
		this.consumed = Counter.builder("registro.consumed").description("Messages taken from the registro queue")
			.register(meters);
		this.counted = Counter.builder("registro.counted").description("Registrations counted").register(meters);
		this.duplicates = Counter.builder("registro.duplicates")
			.description("Messages delivered again after they were handled, not counted twice")
			.register(meters);
	}

	@RabbitListener(id = "registro", queues = Topology.REGISTRO_QUEUE, containerFactory = "registroBatches")
	void onMessages(List<Message> messages, Channel channel) throws IOException {
		if (messages.isEmpty()) {
			return;
		}
		long lastTag = messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag();
		boolean handedBack = false;
		for (Message message : messages) {
			if (!handle(message)) {
				handedBack = true;
				break;
			}
		}
		try {
			if (this.durable) {
				this.store.save(this.tally.snapshot());
			}
		}
		catch (IOException ex) {
			log.error("Could not save the counts to {}; the batch goes back to the queue: {}", this.store.file(),
					ex.toString());
			handedBack = true;
		}
		if (handedBack) {
			// What this batch already counted is remembered by id and skipped when it comes again.
			channel.basicNack(lastTag, true, true);
		}
		else {
			channel.basicAck(lastTag, true);
		}
	}

	/** Counts or dead-letters one message; false when it must go back to the queue. */
	private boolean handle(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String messageId = properties.getMessageId();
		this.consumed.increment();
		if (this.tally.handled(messageId)) {
			this.duplicates.increment();
			log.debug("Delivered again, already handled: message_id={}", messageId);
			return true;
		}
		Registro registro;
		try {
			registro = this.codec.decode(message.getBody());
		}
		catch (InvalidMessageException ex) {
			return deadLetter(message, ex);
		}
		if (!this.tally.knows(registro.serviceId()) && this.tally.services() >= this.maxServices) {
			return deadLetter(message, new InvalidMessageException(Kind.TOO_MANY_SERVICES,
					"already counting " + this.maxServices + " distinct service ids, the most it keeps"));
		}
		this.tally.count(registro, messageId);
		this.counted.increment();
		if (log.isDebugEnabled()) {
			log.debug("Counted message_id={} service_id={}", messageId, registro.serviceId());
		}
		return true;
	}

	/** Moves a copy of the message to the DLQ with the reason; true once the broker confirmed it. */
	private boolean deadLetter(Message message, InvalidMessageException problem) {
		MessageProperties properties = message.getMessageProperties();
		String messageId = properties.getMessageId();
		String appId = properties.getAppId();
		log.warn("Rejected message_id={} app_id={} kind={}: {}", messageId, appId, problem.kind().tag(),
				problem.getMessage());
		properties.setHeader(Topology.REJECTION_KIND_HEADER, problem.kind().tag());
		properties.setHeader(Topology.REJECTION_REASON_HEADER, problem.getMessage());
		try {
			this.publisher.publish("", Topology.REGISTRO_DLQ, message).join();
		}
		catch (RuntimeException ex) {
			log.error("Could not move message_id={} to the dead-letter queue, handing it back: {}", messageId,
					PublishFailedException.from(ex).getMessage());
			return false;
		}
		this.tally.reject(messageId);
		this.meters.counter("registro.rejected", "kind", problem.kind().tag()).increment();
		String producer = Registro.isValidServiceId(appId) ? " from " + appId : "";
		this.logEvents.publish(Level.WARN, "rejected a message" + producer + " (" + problem.kind().tag() + "): "
				+ problem.getMessage() + "; it is in " + Topology.REGISTRO_DLQ, messageId);
		return true;
	}

}
