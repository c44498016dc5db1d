package dev.registro.contract;

import java.util.Map;

/**
 * Names and arguments of the broker objects. Every service that declares a queue declares it
 * with exactly these arguments: RabbitMQ refuses a redeclaration with different ones.
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

	/** Header that carries why a message was dead-lettered. */
	public static final String REJECTION_REASON_HEADER = "x-registro-rejection-reason";

	/** Header that carries the machine-readable kind of the rejection. */
	public static final String REJECTION_KIND_HEADER = "x-registro-rejection-kind";

	/**
	 * After this many deliveries RabbitMQ itself dead-letters a message (a consumer that
	 * keeps crashing on it), so that a poison message can never loop forever.
	 */
	public static final int DELIVERY_LIMIT = 20;

	private Topology() {
	}

	/** Arguments of the {@code registro} queue: quorum, dead-lettering to {@link #REGISTRO_DLQ}. */
	public static Map<String, Object> registroQueueArguments() {
		return Map.of("x-queue-type", "quorum",
				"x-delivery-limit", DELIVERY_LIMIT,
				"x-dead-letter-exchange", "",
				"x-dead-letter-routing-key", REGISTRO_DLQ);
	}

	/** Arguments of {@link #REGISTRO_DLQ} and {@link #LOGGER_QUEUE}: plain durable quorum queues. */
	public static Map<String, Object> quorumQueueArguments() {
		return Map.of("x-queue-type", "quorum");
	}

}
