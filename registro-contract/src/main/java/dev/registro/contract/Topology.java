package dev.registro.contract;

import java.util.Map;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;

/**
 * Names and arguments of the broker objects, and the one description of them every service
 * declares. RabbitMQ refuses a redeclaration with other arguments, so no service builds its
 * own variant: each exposes {@link #declarables()} as a bean.
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

	/** Header that carries, for people, why a message was dead-lettered. */
	public static final String REJECTION_REASON_HEADER = "x-registro-rejection-reason";

	/** Header that carries the machine-readable kind of the rejection. */
	public static final String REJECTION_KIND_HEADER = "x-registro-rejection-kind";

	/**
	 * After this many deliveries RabbitMQ itself dead-letters a message (a consumer that keeps
	 * crashing on it), so that a poison message can never loop forever.
	 */
	public static final int DELIVERY_LIMIT = 20;

	private Topology() {
	}

	/**
	 * Every queue, exchange and binding of the system. The logger's queue is declared by every
	 * service, not only by the logger, so that log events published before the logger's first
	 * start wait for it instead of being unroutable.
	 */
	public static Declarables declarables() {
		Queue registro = registroQueue();
		Queue dlq = QueueBuilder.durable(REGISTRO_DLQ).quorum().build();
		FanoutExchange logs = new FanoutExchange(LOGS_EXCHANGE, true, false);
		Queue logger = QueueBuilder.durable(LOGGER_QUEUE).quorum().build();
		Binding loggerBinding = BindingBuilder.bind(logger).to(logs);
		return new Declarables(registro, dlq, logs, logger, loggerBinding);
	}

	/** The arguments a producer that declares {@code registro} itself must pass. */
	public static Map<String, Object> registroQueueArguments() {
		return registroQueue().getArguments();
	}

	private static Queue registroQueue() {
		return QueueBuilder.durable(REGISTRO_QUEUE)
			.quorum()
			.deliveryLimit(DELIVERY_LIMIT)
			.deadLetterExchange("")
			.deadLetterRoutingKey(REGISTRO_DLQ)
			.build();
	}

}
