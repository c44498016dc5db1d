package dev.registro.support.messaging;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.registro.contract.LogEvent;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Publishes this service's events to the central log (the {@code logs} fanout exchange). A
 * lost event never changes the outcome of what it is about: it is logged and counted in
 * {@code registro.log.events{outcome="failed"}} instead.
 */
public class LogEvents {

	private static final Logger log = LoggerFactory.getLogger(LogEvents.class);

	private final ConfirmingPublisher publisher;

	private final String serviceId;

	private final MeterRegistry meters;

	private final Clock clock;

	public LogEvents(ConfirmingPublisher publisher, String serviceId, MeterRegistry meters, Clock clock) {
		this.publisher = publisher;
		this.serviceId = serviceId;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Publishes an event about this service.
	 * @param messageId the registration message it is about, or {@code null}
	 * @return completes when the broker confirmed the event or it was given up; never fails
	 */
	public CompletableFuture<Void> publish(Level level, String text, String messageId) {
		LogEvent event = new LogEvent(this.serviceId, this.clock.instant(), level, text, messageId);
		String eventId = UUID.randomUUID().toString();
		MessageProperties properties = messageProperties(eventId, this.serviceId, "log");
		return this.publisher.publish(Topology.LOGS_EXCHANGE, "", new Message(event.encode(), properties))
			.handle((ignored, failure) -> {
				this.meters.counter("registro.log.events", "outcome", (failure != null) ? "failed" : "confirmed")
					.increment();
				if (failure != null) {
					log.warn("Log event lost: event_id={} message_id={} {}", eventId, messageId,
							PublishFailedException.from(failure).getMessage());
				}
				return null;
			});
	}

	/**
	 * Properties of every message registro publishes: persistent JSON with its own id, from
	 * {@code appId}.
	 */
	public static MessageProperties messageProperties(String messageId, String appId, String type) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setAppId(appId);
		properties.setType(type);
		return properties;
	}

}
