package dev.registro.contract;

import java.util.Map;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueBuilder.Overflow;

/**
 * Names and arguments of the broker objects, and the one description of them every
 * service declares. RabbitMQ refuses a redeclaration with other arguments, so no service
 * builds its own variant: each exposes {@link #declarables()} as a bean.
 */
public final class Topology {

	/** The queue clients publish registrations to, through the default exchange. */
	public static final String REGISTRO_QUEUE = "registro";

	/** Where registrations that cannot be counted end up, with the reason in a header. */
	public static final String REGISTRO_DLQ = "registro.dlq";

	/** Durable fanout exchange every service publishes its log events to. */
	public static final String LOGS_EXCHANGE = "logs";

	/** The central logger's own queue, bound to {@link #LOGS_EXCHANGE}. */
	public static final String LOGGER_QUEUE = "logger";

	/**
	 * The stream reporte's instances share their counts through, when they keep them in
	 * RabbitMQ: the counting instance's change records and periodic snapshots, which
	 * every instance applies. Only reporte declares it.
	 */
	public static final String REPORTE_CHANGELOG = "reporte.changelog";

	/**
	 * How much of {@link #REPORTE_CHANGELOG} the broker keeps, at most (per node): the
	 * oldest segments go first. Snapshots come far more often than this fills.
	 */
	public static final int CHANGELOG_MAX_BYTES = 256 * 1024 * 1024;

	/** The changelog's segments, the unit its retention drops. */
	public static final int CHANGELOG_SEGMENT_BYTES = 8 * 1024 * 1024;

	/**
	 * How long a quorum queue holds the messages of a consumer whose node it can no
	 * longer reach before handing them to another consumer (RabbitMQ 4.3's default is 60
	 * s; older brokers ignore the argument and return them at once). It is also how long
	 * the single active consumer of {@code registro} stays active when its node is lost,
	 * so it bounds how long counting stops then.
	 */
	public static final int CONSUMER_DISCONNECTED_TIMEOUT_MILLIS = 5000;

	/** Where events that kept failing in the logger end up. */
	public static final String LOGGER_DLQ = "logger.dlq";

	/** Header that carries, for people, why a message was dead-lettered. */
	public static final String REJECTION_REASON_HEADER = "x-registro-rejection-reason";

	/** Header that carries the machine-readable kind of the rejection. */
	public static final String REJECTION_KIND_HEADER = "x-registro-rejection-kind";

	/**
	 * After this many deliveries RabbitMQ itself dead-letters a message of a work queue
	 * (a consumer that keeps crashing on it), so that a poison message can never loop
	 * forever.
	 */
	public static final int DELIVERY_LIMIT = 20;

	/**
	 * The delivery limit of a dead-letter queue: high enough never to be reached by
	 * people reading it. Set, because RabbitMQ 4 applies a limit of 20 to every quorum
	 * queue that has none, and a dead-letter queue has nowhere to send what passes it;
	 * not -1 ("no limit" on RabbitMQ 4), which RabbitMQ 3 reads as "drop after the first
	 * delivery".
	 */
	public static final int DLQ_DELIVERY_LIMIT = 1_000_000;

	/**
	 * A dead-letter queue keeps the newest this many messages, and at most
	 * {@link #DLQ_MAX_BYTES} of bodies; a flood of garbage drops the oldest ("drop-head")
	 * rather than fill the broker's disk, whose alarm would block every publisher.
	 */
	public static final int DLQ_MAX_LENGTH = 10_000;

	/** See {@link #DLQ_MAX_LENGTH}. */
	public static final int DLQ_MAX_BYTES = 64 * 1024 * 1024;

	/**
	 * The largest message body registro's broker takes: its {@code max_message_size},
	 * which {@code rabbitmq/registro.conf} sets for compose and
	 * {@code scripts/rabbitmq4.sh}. Far above anything registro sends; the consumers size
	 * what they prefetch by it, so that no producer can fill their memory.
	 */
	public static final int MAX_MESSAGE_BYTES = 16 * 1024;

	private Topology() {
	}

	/**
	 * Every queue, exchange and binding of the system. The logger's queue is declared by
	 * every service, not only by the logger, so that log events published before the
	 * logger's first start wait for it instead of being unroutable.
	 */
	public static Declarables declarables() {
		FanoutExchange logs = logsExchange();
		Queue logger = workQueue(LOGGER_QUEUE, LOGGER_DLQ);
		Binding loggerBinding = BindingBuilder.bind(logger).to(logs);
		return new Declarables(registroQueue(), deadLetterQueue(REGISTRO_DLQ), logs, logger,
				deadLetterQueue(LOGGER_DLQ), loggerBinding);
	}

	/**
	 * The queue of another logger instance, which keeps a full history of its own: bound
	 * to {@link #LOGS_EXCHANGE} beside {@link #LOGGER_QUEUE} and declared like it, so
	 * that every event reaches both. Only that logger declares it.
	 */
	public static Declarables loggerQueue(String name) {
		Queue queue = workQueue(name, LOGGER_DLQ);
		return new Declarables(queue, BindingBuilder.bind(queue).to(logsExchange()));
	}

	/** The arguments a producer that declares {@code registro} itself must pass. */
	public static Map<String, Object> registroQueueArguments() {
		return registroQueue().getArguments();
	}

	/**
	 * reporte's changelog stream, with its retention. Declared by reporte only, and only
	 * when it keeps its counts in RabbitMQ.
	 */
	public static Declarables reporteChangelog() {
		return new Declarables(QueueBuilder.durable(REPORTE_CHANGELOG)
			.stream()
			.maxLengthBytes(CHANGELOG_MAX_BYTES)
			.withArgument("x-stream-max-segment-size-bytes", CHANGELOG_SEGMENT_BYTES)
			.build());
	}

	/**
	 * Exactly one of reporte's instances counts at a time: RabbitMQ delivers to one
	 * consumer (single active consumer) and hands over to the next one waiting when it
	 * goes.
	 */
	private static Queue registroQueue() {
		return workQueueBuilder(REGISTRO_QUEUE, REGISTRO_DLQ).singleActiveConsumer()
			.withArgument("x-consumer-disconnected-timeout", CONSUMER_DISCONNECTED_TIMEOUT_MILLIS)
			.build();
	}

	/**
	 * A queue a service consumes: a message delivered {@link #DELIVERY_LIMIT} times goes
	 * to its dead-letter queue, with the reason in its {@code x-death} header.
	 * At-least-once dead-lettering keeps the message in this queue until the dead-letter
	 * queue has it (the default, at-most-once, drops it should that fail); RabbitMQ
	 * allows it only with {@code reject-publish} overflow, which refuses publishes once a
	 * length limit is reached, and these queues have none.
	 */
	private static Queue workQueue(String name, String deadLetterQueue) {
		return workQueueBuilder(name, deadLetterQueue).build();
	}

	private static QueueBuilder workQueueBuilder(String name, String deadLetterQueue) {
		return QueueBuilder.durable(name)
			.quorum()
			.deliveryLimit(DELIVERY_LIMIT)
			.deadLetterExchange("")
			.deadLetterRoutingKey(deadLetterQueue)
			.withArgument("x-dead-letter-strategy", "at-least-once")
			.overflow(Overflow.rejectPublish);
	}

	private static FanoutExchange logsExchange() {
		return new FanoutExchange(LOGS_EXCHANGE, true, false);
	}

	private static Queue deadLetterQueue(String name) {
		return QueueBuilder.durable(name)
			.quorum()
			.deliveryLimit(DLQ_DELIVERY_LIMIT)
			.maxLength(DLQ_MAX_LENGTH)
			.maxLengthBytes(DLQ_MAX_BYTES)
			.overflow(Overflow.dropHead)
			.build();
	}

}
