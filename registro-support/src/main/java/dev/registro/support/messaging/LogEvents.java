package dev.registro.support.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Publishes this service's events to the central log (the {@code logs} fanout exchange).
 * An event the broker does not confirm is published again, with the same id, after a
 * growing delay, so that it gets through a broker restart; the logger writes an id only
 * once. An event is given up only after {@code giveUpAfter}, or when too many wait: then
 * it is logged and counted in {@code registro.log.events{outcome="failed"}}. Either way
 * it never changes the outcome of what it is about.
 */
public class LogEvents implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LogEvents.class);

	/**
	 * Events waiting to be published again, at most; past that, new failures are given up
	 * at once.
	 */
	static final int MAX_WAITING = 10_000;

	private static final Duration MAX_DELAY = Duration.ofSeconds(30);

	private final ConfirmingPublisher publisher;

	private final String serviceId;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Duration firstDelay;

	private final Duration giveUpAfter;

	private final AtomicInteger waiting = new AtomicInteger();

	private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "log-event-retry");
		thread.setDaemon(true);
		return thread;
	});

	public LogEvents(ConfirmingPublisher publisher, String serviceId, MeterRegistry meters, Clock clock,
			Duration firstDelay, Duration giveUpAfter) {
		this.publisher = publisher;
		this.serviceId = serviceId;
		this.meters = meters;
		this.clock = clock;
		this.firstDelay = firstDelay;
		this.giveUpAfter = giveUpAfter;
	}

	/**
	 * Publishes an event about this service.
	 * @param messageId the registration message it is about, or {@code null}
	 * @return completes when the broker confirmed the event or it was given up; never
	 * fails
	 */
	public CompletableFuture<Void> publish(Level level, String text, String messageId) {
		LogEvent event = new LogEvent(this.serviceId, this.clock.instant(), level, text, messageId);
		Message message = new Message(event.encode(),
				messageProperties(UUID.randomUUID().toString(), this.serviceId, "log"));
		CompletableFuture<Void> done = new CompletableFuture<>();
		attempt(message, messageId, event.time(), 0, done);
		return done;
	}

	@Override
	public void close() {
		this.retries.shutdownNow();
	}

	private void attempt(Message message, String messageId, Instant first, int attempt, CompletableFuture<Void> done) {
		this.publisher.publish(Topology.LOGS_EXCHANGE, "", message).whenComplete((ignored, failure) -> {
			if (attempt > 0) {
				this.waiting.decrementAndGet();
			}
			if (failure == null) {
				this.meters.counter("registro.log.events", "outcome", "confirmed").increment();
				done.complete(null);
				return;
			}
			String eventId = message.getMessageProperties().getMessageId();
			String problem = PublishFailedException.from(failure).getMessage();
			long delay = Math.min(MAX_DELAY.toMillis(), this.firstDelay.toMillis() << Math.min(attempt, 16));
			// No copy goes out later than giveUpAfter past the event's time: the logger
			// relies on it.
			boolean tooOld = Duration.between(first, this.clock.instant())
				.plusMillis(delay)
				.compareTo(this.giveUpAfter) >= 0;
			if (tooOld || this.waiting.incrementAndGet() > MAX_WAITING) {
				if (!tooOld) {
					this.waiting.decrementAndGet();
				}
				this.meters.counter("registro.log.events", "outcome", "failed").increment();
				log.warn("Log event lost after {} attempts: event_id={} message_id={} {}", attempt + 1, eventId,
						messageId, problem);
				done.complete(null);
				return;
			}
			this.meters.counter("registro.log.events", "outcome", "retried").increment();
			log.debug("Log event not confirmed, again in {} ms: event_id={} {}", delay, eventId, problem);
			try {
				this.retries.schedule(() -> attempt(message, messageId, first, attempt + 1, done), delay,
						TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// shutting down: what is not confirmed by now is lost with this process
				this.waiting.decrementAndGet();
				done.complete(null);
			}
		});
	}

	/**
	 * Properties of every message registro publishes: persistent JSON with its own id,
	 * from {@code appId}.
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
