package dev.registro.logger.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import com.rabbitmq.client.Channel;
import dev.registro.contract.InvalidMessageException;
import dev.registro.contract.InvalidMessageException.Kind;
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

	@RabbitListener(id = "logger", queues = Topology.LOGGER_QUEUE, containerFactory = "eventBatches")
	void onEvents(List<Message> messages, Channel channel) throws IOException, InterruptedException {
		BatchListeners.acknowledgeAfter(messages, channel, () -> {
			List<NewEvent> events = messages.stream().map(this::toEvent).toList();
			this.writes.untilDone("writing " + events.size() + " events to " + this.history.directory(),
					() -> this.written.increment(this.history.append(events).size()));
		});
	}

	private NewEvent toEvent(Message message) {
		MessageProperties properties = message.getMessageProperties();
		try {
			LogEvent event = LogEvent.decode(message.getBody(), this.maxEventBytes);
			return new NewEvent(properties.getMessageId(), event.serviceId(), event.time(), event.level().name(),
					event.message(), event.messageId(), null, null);
		}
		catch (RuntimeException ex) {
			log.error("Failed on event_id={} in a way nothing expects; kept as rejected", properties.getMessageId(),
					ex);
			return rejected(message, new InvalidMessageException(Kind.HANDLING_FAILED, ex.toString()));
		}
		catch (InvalidMessageException ex) {
			return rejected(message, ex);
		}
	}

	/** An event kept as a line marked rejected, with the start of its body. */
	private NewEvent rejected(Message message, InvalidMessageException ex) {
		MessageProperties properties = message.getMessageProperties();
		String publisher = Registro.isValidServiceId(properties.getAppId()) ? properties.getAppId() : "unknown";
		log.warn("Keeping an unreadable event as rejected: event_id={} app_id={} kind={}: {}",
				properties.getMessageId(), properties.getAppId(), ex.kind().tag(), ex.getMessage());
		this.meters.counter("registro.logger.events.rejected", "kind", ex.kind().tag()).increment();
		byte[] body = message.getBody();
		String raw = new String(Arrays.copyOf(body, Math.min(body.length, RAW_BYTES_KEPT)), StandardCharsets.UTF_8);
		return new NewEvent(properties.getMessageId(), publisher, this.clock.instant(), LogEvent.Level.ERROR.name(),
				"unreadable event: " + ex.getMessage(), null, ex.kind().tag(), raw);
	}

}
