import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Usage: java -cp 'bench/tools/target/lib/*' bench/Fill.java amqp-uri queue count service-id
 *
 * Puts count valid registrations on an existing queue, as the clients publish them (the
 * contract's JSON, persistent, a UUID message_id each, app_id), with publisher confirms, and
 * returns once the broker has confirmed every one. scripts/bench.sh fills the backlog that
 * reporte and PerfTest then drain.
 */
class Fill {

	private static final int CONFIRM_EVERY = 500;

	public static void main(String[] args) throws Exception {
		if (args.length != 4) {
			System.err.println("usage: Fill amqp-uri queue count service-id");
			System.exit(2);
		}
		String queue = args[1];
		int count = Integer.parseInt(args[2]);
		String serviceId = args[3];
		byte[] body = ("{\"service_id\":\"" + serviceId
				+ "\",\"timestamp\":\"2026-11-30 12:00:00\",\"action\":\"registro\"}").getBytes(StandardCharsets.UTF_8);
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(args[0]);
		long start = System.nanoTime();
		try (Connection connection = factory.newConnection("registro-bench-fill");
				Channel channel = connection.createChannel()) {
			// Passive: the queue must exist with reporte's arguments; this only checks that it does.
			channel.queueDeclarePassive(queue);
			channel.confirmSelect();
			for (int i = 1; i <= count; i++) {
				AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
					.messageId(UUID.randomUUID().toString())
					.contentType("application/json")
					.contentEncoding("UTF-8")
					.deliveryMode(2)
					.appId(serviceId)
					.build();
				channel.basicPublish("", queue, true, properties, body);
				if (i % CONFIRM_EVERY == 0 || i == count) {
					channel.waitForConfirmsOrDie(60_000);
				}
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("filled %s with %d messages in %.1f s (%.0f msg/s)%n", queue, count, seconds, count / seconds);
	}

}
