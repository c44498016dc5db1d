package dev.registro.support.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import dev.registro.contract.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

/**
 * Moves the messages of every queue the broker has under one of registro's names, but
 * with other arguments (the original system's classic, non-durable {@code registro}; a
 * queue of an earlier registro), into a queue declared as registro declares it, without
 * losing one:
 * <ol>
 * <li>every message of the old queue is copied, confirmed, into a holding queue
 * {@code <name>.migrating}, and only then acknowledged;</li>
 * <li>the old queue, now empty, is deleted and declared again as registro declares
 * it;</li>
 * <li>the holding queue's messages are moved into it the same way, and the holding queue
 * is deleted.</li>
 * </ol>
 * Bodies and properties travel unchanged. Interrupted anywhere, it can run again: a
 * holding queue left behind is emptied into its queue. A crash between a copy's confirm
 * and the original's ack leaves both, so one message can then be there twice; reporte
 * recognises a copy by its message id, which the original's producers do not set.
 * Producers and consumers of the old queue must be stopped first: it refuses to move a
 * queue that has consumers.
 */
public final class QueueMigration {

	private static final Logger log = LoggerFactory.getLogger(QueueMigration.class);

	static final String HOLDING_SUFFIX = ".migrating";

	private static final int CONFIRM_EVERY = 500;

	private static final Duration CONFIRM_WAIT = Duration.ofSeconds(30);

	/**
	 * A queue that delivers nothing for this long is taken to be empty (and checked
	 * again).
	 */
	private static final Duration IDLE = Duration.ofSeconds(1);

	private final Connection connection;

	public QueueMigration(Connection connection) {
		this.connection = connection;
	}

	/**
	 * Migrates every queue of {@link Topology#declarables()}; returns how many messages
	 * each moved.
	 */
	public Map<String, Long> run() throws IOException, TimeoutException, InterruptedException {
		Declarables topology = Topology.declarables();
		for (Exchange exchange : topology.getDeclarablesByType(Exchange.class)) {
			try (Channel channel = this.connection.createChannel()) {
				channel.exchangeDeclare(exchange.getName(), exchange.getType(), exchange.isDurable(),
						exchange.isAutoDelete(), exchange.isInternal(), exchange.getArguments());
			}
		}
		Map<String, Long> moved = new LinkedHashMap<>();
		// Dead-letter queues first: a work queue may dead-letter into them as soon as it
		// exists.
		List<Queue> queues = topology.getDeclarablesByType(Queue.class)
			.stream()
			.sorted((a, b) -> Boolean.compare(!a.getName().endsWith(".dlq"), !b.getName().endsWith(".dlq")))
			.toList();
		for (Queue queue : queues) {
			moved.put(queue.getName(), migrate(queue));
		}
		for (Binding binding : topology.getDeclarablesByType(Binding.class)) {
			try (Channel channel = this.connection.createChannel()) {
				channel.queueBind(binding.getDestination(), binding.getExchange(), binding.getRoutingKey(),
						binding.getArguments());
			}
		}
		return moved;
	}

	/**
	 * Brings one queue to registro's declaration; returns how many messages were moved
	 * out of an old one.
	 */
	long migrate(Queue queue) throws IOException, TimeoutException, InterruptedException {
		String name = queue.getName();
		String holding = name + HOLDING_SUFFIX;
		boolean compatible = declares(queue);
		boolean holdingLeft = exists(holding);
		if (compatible && !holdingLeft) {
			log.info("{}: already as registro declares it", name);
			return 0;
		}
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDeclare(holding, true, false, false, Map.of("x-queue-type", "quorum"));
		}
		long moved = 0;
		if (!compatible) {
			int consumers = consumers(name);
			if (consumers > 0) {
				throw new IllegalStateException("queue '" + name + "' has " + consumers
						+ " consumer(s): stop what consumes it (and what publishes to it) first");
			}
			moved = move(name, holding);
			deleteEmpty(name);
			if (!declares(queue)) {
				throw new IllegalStateException(
						"queue '" + name + "' could not be declared again after it was emptied");
			}
			log.info("{}: {} messages taken out of the old queue, which is now declared as registro declares it", name,
					moved);
		}
		long back = move(holding, name);
		deleteEmpty(holding);
		log.info("{}: {} messages moved in; {} deleted", name, back, holding);
		return moved;
	}

	/** Whether the queue is (now) declared with exactly registro's arguments. */
	private boolean declares(Queue queue) throws IOException, TimeoutException {
		Channel channel = this.connection.createChannel();
		try {
			channel.queueDeclare(queue.getName(), queue.isDurable(), queue.isExclusive(), queue.isAutoDelete(),
					queue.getArguments());
			channel.close();
			return true;
		}
		catch (IOException ex) {
			if (IncompatibleQueue.causing(ex).isPresent()) {
				return false;
			}
			throw ex;
		}
	}

	private boolean exists(String queue) throws IOException, TimeoutException {
		Channel channel = this.connection.createChannel();
		try {
			channel.queueDeclarePassive(queue);
			channel.close();
			return true;
		}
		catch (IOException ex) {
			// 404: the broker closed the channel
			return false;
		}
	}

	private int consumers(String queue) throws IOException, TimeoutException {
		try (Channel channel = this.connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
	}

	/**
	 * Moves every message from one queue to another: copied with a confirm, acknowledged
	 * in the source only once the broker has confirmed the copies. It consumes rather
	 * than gets: RabbitMQ can hand back to a quorum queue messages fetched with
	 * {@code basic.get} and acknowledged just before their channel closed (seen on 3.10
	 * and 4.3: a few hundred of a batch, which were then copied twice); a consumer's
	 * synchronous cancel settles what was acknowledged before it.
	 */
	private long move(String from, String to) throws IOException, TimeoutException, InterruptedException {
		long moved = 0;
		try (Channel channel = this.connection.createChannel()) {
			channel.confirmSelect();
			channel.basicQos(2 * CONFIRM_EVERY);
			AtomicReference<String> returned = new AtomicReference<>();
			channel.addReturnListener(message -> returned.set(message.getReplyCode() + " " + message.getReplyText()));
			BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
			String consumer = channel.basicConsume(from, false, (tag, delivery) -> deliveries.add(delivery), tag -> {
			});
			long lastTag = -1;
			Delivery message;
			while ((message = deliveries.poll(IDLE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
				channel.basicPublish("", to, true, message.getProperties(), message.getBody());
				lastTag = message.getEnvelope().getDeliveryTag();
				moved++;
				if (moved % CONFIRM_EVERY == 0) {
					confirmThenAck(channel, lastTag, returned, to);
				}
			}
			if (moved % CONFIRM_EVERY != 0) {
				confirmThenAck(channel, lastTag, returned, to);
			}
			channel.basicCancel(consumer);
		}
		return moved;
	}

	private static void confirmThenAck(Channel channel, long lastTag, AtomicReference<String> returned, String to)
			throws IOException, TimeoutException, InterruptedException {
		channel.waitForConfirmsOrDie(CONFIRM_WAIT.toMillis());
		if (returned.get() != null) {
			throw new IllegalStateException("the broker could not route copies to '" + to + "': " + returned.get());
		}
		channel.basicAck(lastTag, true);
	}

	/**
	 * Deletes a queue that was just emptied, moving again what a producer put in
	 * meanwhile. Quorum queues refuse the broker's own "only if empty" delete, so the
	 * count is checked first; what a producer publishes between the check and the delete
	 * would be lost, which is why producers must be stopped.
	 */
	private void deleteEmpty(String queue) throws IOException, TimeoutException, InterruptedException {
		for (int attempt = 1;; attempt++) {
			try (Channel channel = this.connection.createChannel()) {
				if (channel.queueDeclarePassive(queue).getMessageCount() == 0) {
					int lost = channel.queueDelete(queue).getMessageCount();
					if (lost > 0) {
						throw new IllegalStateException(lost + " message(s) reached '" + queue + "' while it was being "
								+ "deleted, and went with it: something still publishes to it");
					}
					return;
				}
			}
			if (attempt == 3) {
				throw new IllegalStateException("queue '" + queue
						+ "' keeps receiving messages: stop what publishes to " + "it, then run this again");
			}
			move(queue, queue.endsWith(HOLDING_SUFFIX) ? queue.substring(0, queue.length() - HOLDING_SUFFIX.length())
					: queue + HOLDING_SUFFIX);
		}
	}

}
