package dev.registro.cliente.registration;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Registro;
import dev.registro.contract.RegistroCodec;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.LogEvents;
import dev.registro.support.messaging.PublishFailedException;
import dev.registro.support.messaging.RegistroProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.stereotype.Service;

/**
 * Registers this client: publishes a {@link Registro} to the {@code registro} queue, and
 * a log event about it to the {@code logs} exchange once the outcome is known.
 */
@Service
class Registrations {

	private static final Logger log = LoggerFactory.getLogger(Registrations.class);

	private final ConfirmingPublisher publisher;

	private final LogEvents logEvents;

	private final String serviceId;

	private final Executor followUps;

	private final Clock clock;

	private final RegistroCodec codec = new RegistroCodec();

	private final MeterRegistry meters;

	private final Counter published;

	private final Counter confirmed;

	private final Timer confirmTime;

	Registrations(ConfirmingPublisher publisher, LogEvents logEvents, RegistroProperties properties,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor followUps,
			MeterRegistry meters, Clock clock) {
		this.publisher = publisher;
		this.logEvents = logEvents;
		this.serviceId = properties.serviceId();
		this.followUps = followUps;
		this.clock = clock;
		this.meters = meters;
		this.published = Counter.builder("registro.published")
			.description("Registrations handed to the broker")
			.register(meters);
		this.confirmed = Counter.builder("registro.confirmed")
			.description("Registrations the broker confirmed and routed to the queue")
			.register(meters);
		this.confirmTime = Timer.builder("registro.confirm.time")
			.description("From handing a registration to the broker to its confirm")
			.register(meters);
	}

	String serviceId() {
		return this.serviceId;
	}

	/**
	 * Publishes one registration. The future completes with the receipt once the broker
	 * has confirmed it, or with a {@link PublishFailedException}; it never blocks the
	 * caller.
	 */
	CompletableFuture<Receipt> register() {
		Registro registro = new Registro(this.serviceId, LocalDateTime.now(this.clock));
		String messageId = UUID.randomUUID().toString();
		Message message = new Message(this.codec.encode(registro),
				LogEvents.messageProperties(messageId, this.serviceId, Registro.ACTION));
		long start = System.nanoTime();
		CompletableFuture<Void> outcome = this.publisher.publish("", Topology.REGISTRO_QUEUE, message);
		if (!outcome.isCompletedExceptionally()) {
			this.published.increment();
		}
		// The follow-up publishes a log event: it must not run on the broker's callback
		// thread.
		return outcome.handleAsync((ignored, failure) -> {
			if (failure != null) {
				PublishFailedException problem = PublishFailedException.from(failure);
				this.meters.counter("registro.failed", "reason", problem.reason().tag()).increment();
				log.warn("Registration failed: message_id={} reason={} {}", messageId, problem.reason().tag(),
						problem.getMessage());
				this.logEvents.publish(Level.WARN, "registration failed: " + problem.getMessage(), messageId);
				throw problem;
			}
			this.confirmTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			this.confirmed.increment();
			log.debug("Registration confirmed: message_id={}", messageId);
			this.logEvents.publish(Level.INFO, "registration confirmed by the broker", messageId);
			return new Receipt("message_sent", Topology.REGISTRO_QUEUE, registro.formattedTimestamp(), messageId);
		}, this.followUps);
	}

	/** What a confirmed registration answers, in the original's field names. */
	record Receipt(String status, String queue, String time, @JsonProperty("message_id") String messageId) {
	}

}
