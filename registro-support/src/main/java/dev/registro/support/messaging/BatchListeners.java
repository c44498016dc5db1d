package dev.registro.support.messaging;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;

/**
 * Listener containers that hand over messages in batches, for consumers that make a batch
 * durable with one write and then acknowledge it with one multiple ack.
 */
public final class BatchListeners {

	/** A batch is handed over once full or once this long has passed since its first message. */
	public static final long BATCH_WAIT_MILLIS = 20;

	private BatchListeners() {
	}

	/**
	 * One consumer (the order of the queue is the order of the work), manual acks, batches of
	 * at most {@code batchSize}, and a prefetch of two batches, so that the next batch is on its
	 * way while one is being made durable.
	 */
	public static SimpleRabbitListenerContainerFactory factory(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, int batchSize) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connectionFactory);
		factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		factory.setBatchListener(true);
		factory.setConsumerBatchEnabled(true);
		factory.setBatchSize(batchSize);
		factory.setPrefetchCount(2 * batchSize);
		factory.setReceiveTimeout(BATCH_WAIT_MILLIS);
		// Without it a steady trickle keeps a batch open until it is full, however long that takes.
		factory.setBatchReceiveTimeout(BATCH_WAIT_MILLIS);
		factory.setConcurrentConsumers(1);
		factory.setMaxConcurrentConsumers(1);
		return factory;
	}

}
