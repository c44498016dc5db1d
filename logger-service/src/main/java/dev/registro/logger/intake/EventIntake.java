package dev.registro.logger.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.LogBatch;
import dev.registro.contract.LogEvent;
import dev.registro.contract.Registro;
import dev.registro.contract.Topology;
import dev.registro.logger.LoggerProperties;
import dev.registro.logger.history.EventLog;
import dev.registro.logger.history.NewEvent;
import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.PausingRetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Takes the events from the logger's queue in batches, appends them to the history, and
 * acknowledges a batch only once it is written. An event that cannot be read is kept all
 * the same, as a line marked {@code rejected} with the start of its body: nothing is
 * dropped and nothing stalls the queue. A write that fails (a full disk) is retried, with
 * the intake paused, until it succeeds: the events never go back to the queue.
 */
@Component
class EventIntake {

	private static final Logger log = LoggerFactory.getLogger(EventIntake.class);

	/** How much of an unreadable body a rejected line keeps. */
	static final int RAW_BYTES_KEPT = 1024;

	private final EventLog history;

	private final int maxEventBytes;

	private final Clock clock;

	private final MeterRegistry meters;

	private final PausingRetry writes;

	private final Counter written;

	EventIntake(EventLog history, LoggerProperties properties, Clock clock, MeterRegistry meters, PausingRetry writes) {
		this.history = history;
		this.writes = writes;
		this.maxEventBytes = properties.maxEventBytes();
		this.clock = clock;
		this.meters = meters;
		this.written = Counter.builder("registro.logger.events.written")
			.description("Events appended to the history")
			.register(meters);
		FunctionCounter.builder("registro.logger.bytes.written", history, EventLog::bytesWritten)
			.description("Bytes appended to the history since start")
			.baseUnit("bytes")
			.register(meters);
		FunctionCounter.builder("registro.logger.events.duplicates", history, EventLog::duplicatesSkipped)
			.description("Events delivered again after they were written, not written twice")
			.register(meters);
	}

	@RabbitListener(id = "logger", queues = "${registro.logger.queue:" + Topology.LOGGER_QUEUE + "}",
			containerFactory = "eventBatches")
	void onEvents(List<Message> messages, Channel channel) throws IOException, InterruptedException {
		BatchListeners.acknowledgeAfter(messages, channel, () -> {
			List<NewEvent> events = messages.stream().flatMap(message -> toEvents(message).stream()).toList();
			this.writes.untilDone("writing " + events.size() + " events to " + this.history.directory(),
					() -> this.written.increment(this.history.append(events).size()));
		});
	}

	/** The events of a message: one, or those of a batch ({@link LogBatch}). */
	private List<NewEvent> toEvents(Message message) {
		MessageProperties properties = message.getMessageProperties();
		if (!LogBatch.TYPE.equals(properties.getType())) {
			return List.of(toEvent(message));
		}
		try {
			List<LogBatch.Line> lines = LogBatch.decode(message.getBody(), this.maxEventBytes);
			List<NewEvent> events = new ArrayList<>(lines.size());
			for (int i = 0; i < lines.size(); i++) {
				LogBatch.Line line = lines.get(i);
				if (line.entry() != null) {
					events.add(newEvent(line.entry().eventId(), line.entry().event()));
				}
				else {
					// An id of its own that a delivery of the batch again gives it again.
					events.add(rejected(properties, properties.getMessageId() + "#" + i, line.invalid(), line.raw()));
				}
			}
			return events;
		}
		catch (InvalidMessageException ex) {
			return List.of(rejected(properties, properties.getMessageId(), ex, message.getBody()));
		}
		catch (RuntimeException ex) {
			log.error("Failed on batch {} in a way nothing expects; kept as rejected", properties.getMessageId(), ex);
			return List.of(rejected(properties, properties.getMessageId(),
					new InvalidMessageException(Kind.HANDLING_FAILED, ex.toString()), message.getBody()));
		}
	}

	private NewEvent toEvent(Message message) {
		MessageProperties properties = message.getMessageProperties();
		try {
			return newEvent(properties.getMessageId(), LogEvent.decode(message.getBody(), this.maxEventBytes));
		}
		catch (RuntimeException ex) {
			log.error("Failed on event_id={} in a way nothing expects; kept as rejected", properties.getMessageId(),
					ex);
			return rejected(properties, properties.getMessageId(),
					new InvalidMessageException(Kind.HANDLING_FAILED, ex.toString()), message.getBody());
		}
		catch (InvalidMessageException ex) {
			return rejected(properties, properties.getMessageId(), ex, message.getBody());
		}
	}

	private static NewEvent newEvent(String eventId, LogEvent event) {
		return new NewEvent(eventId, event.serviceId(), event.time(), event.level().name(), event.message(),
				event.messageId(), null, null);
	}

	/** An event kept as a line marked rejected, with the start of its body. */
	private NewEvent rejected(MessageProperties properties, String eventId, InvalidMessageException ex, byte[] body) {
		String publisher = Registro.isValidServiceId(properties.getAppId()) ? properties.getAppId() : "unknown";
		log.warn("Keeping an unreadable event as rejected: event_id={} app_id={} kind={}: {}", eventId,
				properties.getAppId(), ex.kind().tag(), ex.getMessage());
		this.meters.counter("registro.logger.events.rejected", "kind", ex.kind().tag()).increment();
		String raw = new String(Arrays.copyOf(body, Math.min(body.length, RAW_BYTES_KEPT)), StandardCharsets.UTF_8);
		return new NewEvent(eventId, publisher, this.clock.instant(), LogEvent.Level.ERROR.name(),
				"unreadable event: " + ex.getMessage(), null, ex.kind().tag(), raw);
	}

}
