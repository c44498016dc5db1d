package dev.registro.reporte.counting;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
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
 * Counts what arrives on {@code registro}. Parses the body itself (JSON or the original's
 * {@code str(dict)}, whatever the headers claim), and acknowledges a message only once it is
 * counted, or once a copy that says why it was refused is confirmed in {@code registro.dlq}.
 */
@Component
class RegistroListener {

	private static final Logger log = LoggerFactory.getLogger(RegistroListener.class);

	private final Tally tally;

	private final RegistroCodec codec;

	private final ConfirmingPublisher publisher;

	private final LogEvents logEvents;

	private final MeterRegistry meters;

	private final Counter consumed;

	private final Counter counted;

	RegistroListener(Tally tally, ConfirmingPublisher publisher, LogEvents logEvents, ReporteProperties properties,
			MeterRegistry meters) {
		this.tally = tally;
		this.codec = new RegistroCodec(properties.maxBodyBytes());
		this.publisher = publisher;
		this.logEvents = logEvents;
		this.meters = meters;
		this.consumed = Counter.builder("registro.consumed").description("Messages taken from the registro queue")
			.register(meters);
		this.counted = Counter.builder("registro.counted").description("Registrations counted").register(meters);
	}

	@RabbitListener(id = "registro", queues = Topology.REGISTRO_QUEUE, ackMode = "MANUAL")
	void onMessage(Message message, Channel channel) throws IOException {
		MessageProperties properties = message.getMessageProperties();
		long tag = properties.getDeliveryTag();
		this.consumed.increment();
		Registro registro;
		try {
			registro = this.codec.decode(message.getBody());
		}
		catch (InvalidMessageException ex) {
			if (deadLetter(message, ex)) {
				channel.basicAck(tag, false);
			}
			else {
				// Not safely in the DLQ yet: hand it back. The queue's delivery limit dead-letters
				// it by itself should this keep failing.
				channel.basicNack(tag, false, true);
			}
			return;
		}
		this.tally.count(registro);
		channel.basicAck(tag, false);
		this.counted.increment();
		if (log.isDebugEnabled()) {
			log.debug("Counted message_id={} service_id={}", properties.getMessageId(), registro.serviceId());
		}
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
		this.tally.reject();
		this.meters.counter("registro.rejected", "kind", problem.kind().tag()).increment();
		String producer = Registro.isValidServiceId(appId) ? " from " + appId : "";
		this.logEvents.publish(Level.WARN, "rejected a message" + producer + " (" + problem.kind().tag() + "): "
				+ problem.getMessage() + "; it is in " + Topology.REGISTRO_DLQ, messageId);
		return true;
	}

}
