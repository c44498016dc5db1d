package dev.registro.support.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.registro.contract.LogBatch;
import dev.registro.contract.LogBatch.Entry;
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
 * Publishes this service's events to the central log (the {@code logs} fanout exchange),
 * in batches ({@link LogBatch}): the events of the same {@code linger} go out as one
 * message, each under an id of its own. A batch the broker does not confirm is published
 * again, with the same ids, after a growing delay, so that it gets through a broker
 * restart; the logger writes an id only once. A batch is given up only once its oldest
 * event is {@code giveUpAfter} old, or when too many events wait: then it is logged and
 * counted in {@code registro.log.events{outcome="failed"}}. Either way it never changes
 * the outcome of what an event is about.
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

	private final Duration linger;

	private final int maxBatchBytes;

	private final Duration firstDelay;

	private final Duration giveUpAfter;

	private final AtomicInteger waiting = new AtomicInteger();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "log-events");
		thread.setDaemon(true);
		return thread;
	});

	/** The batch being filled, guarded by itself. */
	private final List<Pending> open = new ArrayList<>();

	private int openBytes;

	/**
	 * @param linger how long a batch waits for more events after its first
	 * @param maxBatchBytes the largest batch body; a larger event goes alone
	 * @param firstDelay the delay before a batch is published again, doubled each time
	 * @param giveUpAfter how long after its oldest event's time a batch is published
	 * again at the most
	 */
	public LogEvents(ConfirmingPublisher publisher, String serviceId, MeterRegistry meters, Clock clock,
			Duration linger, int maxBatchBytes, Duration firstDelay, Duration giveUpAfter) {
		this.publisher = publisher;
		this.serviceId = serviceId;
		this.meters = meters;
		this.clock = clock;
		this.linger = linger;
		this.maxBatchBytes = maxBatchBytes;
		this.firstDelay = firstDelay;
		this.giveUpAfter = giveUpAfter;
	}

	/**
	 * Publishes an event about this service, with the next batch.
	 * @param messageId the registration message it is about, or {@code null}
	 * @return completes when the broker confirmed the event or it was given up; never
	 * fails
	 */
	public CompletableFuture<Void> publish(Level level, String text, String messageId) {
		LogEvent event = new LogEvent(this.serviceId, this.clock.instant(), level, text, messageId);
		Pending pending = new Pending(event.time(), LogBatch.line(new Entry(UUID.randomUUID().toString(), event)),
				messageId, new CompletableFuture<>());
		List<Pending> full = null;
		boolean first;
		synchronized (this.open) {
			if (!this.open.isEmpty() && this.openBytes + pending.line().length > this.maxBatchBytes) {
				full = takeOpen();
			}
			first = this.open.isEmpty();
			this.open.add(pending);
			this.openBytes += pending.line().length;
		}
		if (full != null) {
			send(full);
		}
		if (first) {
			schedule(this::flush, this.linger);
		}
		return pending.done();
	}

	/** Sends what is waiting, and stops. */
	@Override
	public void close() {
		flush();
		this.scheduler.shutdown();
	}

	private void flush() {
		List<Pending> batch;
		synchronized (this.open) {
			batch = takeOpen();
		}
		if (!batch.isEmpty()) {
			send(batch);
		}
	}

	/** The batch being filled, which starts anew; called holding its lock. */
	private List<Pending> takeOpen() {
		List<Pending> batch = List.copyOf(this.open);
		this.open.clear();
		this.openBytes = 0;
		return batch;
	}

	private void send(List<Pending> batch) {
		Message message = new Message(LogBatch.body(batch.stream().map(Pending::line).toList()),
				messageProperties(UUID.randomUUID().toString(), this.serviceId, LogBatch.TYPE));
		Instant oldest = batch.stream().map(Pending::time).min(Instant::compareTo).orElseThrow();
		attempt(message, batch, oldest, 0);
	}

	private void attempt(Message message, List<Pending> batch, Instant oldest, int attempt) {
		this.publisher.publish(Topology.LOGS_EXCHANGE, "", message).whenComplete((ignored, failure) -> {
			if (attempt > 0) {
				this.waiting.addAndGet(-batch.size());
			}
			if (failure == null) {
				this.meters.counter("registro.log.events", "outcome", "confirmed").increment(batch.size());
				batch.forEach(pending -> pending.done().complete(null));
				return;
			}
			String batchId = message.getMessageProperties().getMessageId();
			String problem = PublishFailedException.from(failure).getMessage();
			long delay = Math.min(MAX_DELAY.toMillis(), this.firstDelay.toMillis() << Math.min(attempt, 16));
			// No copy goes out later than giveUpAfter past the oldest event's time: the
			// logger relies on it.
			boolean tooOld = Duration.between(oldest, this.clock.instant())
				.plusMillis(delay)
				.compareTo(this.giveUpAfter) >= 0;
			if (tooOld || this.waiting.addAndGet(batch.size()) > MAX_WAITING) {
				if (!tooOld) {
					this.waiting.addAndGet(-batch.size());
				}
				this.meters.counter("registro.log.events", "outcome", "failed").increment(batch.size());
				log.warn("{} log events lost after {} attempts: batch {} (message_ids {}) {}", batch.size(),
						attempt + 1, batchId, messageIds(batch), problem);
				batch.forEach(pending -> pending.done().complete(null));
				return;
			}
			this.meters.counter("registro.log.events", "outcome", "retried").increment(batch.size());
			log.debug("{} log events not confirmed, again in {} ms: batch {} {}", batch.size(), delay, batchId,
					problem);
			if (!schedule(() -> attempt(message, batch, oldest, attempt + 1), Duration.ofMillis(delay))) {
				// shutting down: what is not confirmed by now is lost with this process
				this.waiting.addAndGet(-batch.size());
				batch.forEach(pending -> pending.done().complete(null));
			}
		});
	}

	private boolean schedule(Runnable task, Duration delay) {
		try {
			this.scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private static List<String> messageIds(List<Pending> batch) {
		return batch.stream().map(Pending::messageId).filter(Objects::nonNull).toList();
	}

	/** An event waiting to be confirmed, as the line of its batch. */
	private record Pending(Instant time, byte[] line, String messageId, CompletableFuture<Void> done) {
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
