package dev.registro.support.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;

/**
 * Listener containers that hand over messages in batches, for consumers that make a batch
 * durable with one write and then acknowledge it with one multiple ack.
 */
public final class BatchListeners {

	/**
	 * A batch is handed over once full or once this long has passed since its first
	 * message.
	 */
	public static final long BATCH_WAIT_MILLIS = 20;

	/**
	 * How long a batch that failed in a way nothing expects waits before it goes back to
	 * the queue.
	 */
	static final Duration UNEXPECTED_FAILURE_PAUSE = Duration.ofSeconds(1);

	private static final Logger log = LoggerFactory.getLogger(BatchListeners.class);

	private BatchListeners() {
	}

	/**
	 * Two batches, or as many of the largest bodies as a quarter of the heap holds, if
	 * fewer.
	 */
	static int prefetch(int batchSize, int maxMessageBytes, long maxHeapBytes) {
		long fit = (maxHeapBytes / 4) / maxMessageBytes;
		return (int) Math.max(1, Math.min(2L * batchSize, fit));
	}

	/** The work done on a batch before it is acknowledged. */
	@FunctionalInterface
	public interface BatchWork {

		void run() throws InterruptedException;

	}

	/**
	 * Runs the work on a batch and acknowledges the whole batch once it returns. Every
	 * batch ends acknowledged or handed back: a manual-ack consumer whose listener throws
	 * leaves the batch unacknowledged and stops taking messages, without a word. So
	 * should the work fail in a way nothing expects (a bug), the batch goes back to the
	 * queue after a pause, and a message that keeps failing reaches the dead-letter queue
	 * at the delivery limit.
	 */
	public static void acknowledgeAfter(List<Message> batch, Channel channel, BatchWork work)
			throws IOException, InterruptedException {
		if (batch.isEmpty()) {
			return;
		}
		long lastTag = batch.get(batch.size() - 1).getMessageProperties().getDeliveryTag();
		try {
			work.run();
		}
		catch (RuntimeException ex) {
			log.error("A batch of {} failed in a way nothing expects; it goes back to the queue in {} ms", batch.size(),
					UNEXPECTED_FAILURE_PAUSE.toMillis(), ex);
			Thread.sleep(UNEXPECTED_FAILURE_PAUSE.toMillis());
			channel.basicNack(lastTag, true, true);
			return;
		}
		channel.basicAck(lastTag, true);
	}

	/**
	 * One consumer (the order of the queue is the order of the work), manual acks,
	 * batches of at most {@code batchSize}, and a prefetch of two batches, so that the
	 * next batch is on its way while one is being made durable; but never more messages
	 * than fit a quarter of the heap at the broker's largest body, since RabbitMQ ignores
	 * a prefetch in bytes.
	 */
	public static SimpleRabbitListenerContainerFactory factory(
			SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connectionFactory,
			int batchSize, int maxMessageBytes) {
		int prefetch = prefetch(batchSize, maxMessageBytes, Runtime.getRuntime().maxMemory());
		log.info("Prefetching at most {} messages, batches of at most {} (heap {} MB, bodies up to {} KiB)", prefetch,
				Math.min(batchSize, prefetch), Runtime.getRuntime().maxMemory() >> 20, maxMessageBytes >> 10);
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connectionFactory);
		factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		factory.setBatchListener(true);
		factory.setConsumerBatchEnabled(true);
		factory.setBatchSize(Math.min(batchSize, prefetch));
		factory.setPrefetchCount(prefetch);
		factory.setReceiveTimeout(BATCH_WAIT_MILLIS);
		// Without it a steady trickle keeps a batch open until it is full, however long
		// that takes.
		factory.setBatchReceiveTimeout(BATCH_WAIT_MILLIS);
		factory.setConcurrentConsumers(1);
		factory.setMaxConcurrentConsumers(1);
		return factory;
	}

}
