package dev.registro.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;

/**
 * Takes messages out of a queue by consuming it: RabbitMQ refuses {@code basic.get} on a
 * quorum queue with a single active consumer, as {@code registro} is.
 */
public final class QueueReads {

	private QueueReads() {
	}

	/**
	 * The next message of the queue, acknowledged, or null when none comes within the
	 * time given. The channel should be one of the caller's own: its consumer is
	 * cancelled before the call returns.
	 */
	public static Delivery next(Channel channel, String queue, Duration within)
			throws IOException, InterruptedException {
		List<Delivery> taken = take(channel, queue, 1, within);
		return taken.isEmpty() ? null : taken.get(0);
	}

	/**
	 * Every message of the queue, acknowledged, in order: taken until none came for the
	 * time given.
	 */
	public static List<Delivery> drain(Channel channel, String queue, Duration idle)
			throws IOException, InterruptedException {
		return take(channel, queue, Integer.MAX_VALUE, idle);
	}

	private static List<Delivery> take(Channel channel, String queue, int most, Duration wait)
			throws IOException, InterruptedException {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		channel.basicQos(1);
		String consumer = channel.basicConsume(queue, false, (tag, delivery) -> deliveries.add(delivery), tag -> {
		});
		List<Delivery> taken = new ArrayList<>();
		try {
			Delivery delivery;
			while (taken.size() < most
					&& (delivery = deliveries.poll(wait.toMillis(), TimeUnit.MILLISECONDS)) != null) {
				channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
				taken.add(delivery);
			}
		}
		finally {
			channel.basicCancel(consumer);
			// What came after the last one taken goes back, for the next reader.
			for (Delivery extra : deliveries) {
				channel.basicNack(extra.getEnvelope().getDeliveryTag(), false, true);
			}
		}
		return taken;
	}

}
