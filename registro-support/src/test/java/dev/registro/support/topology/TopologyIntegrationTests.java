package dev.registro.support.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import dev.registro.contract.Topology;
import dev.registro.testsupport.QueueReads;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * registro's queues on a real broker (RabbitMQ 4 in CI): nothing is ever dropped at a
 * delivery limit, and the queues of the original system or of an earlier registro are
 * migrated without losing a message. In a virtual host of its own, since it deletes and
 * redeclares the queues.
 */
class TopologyIntegrationTests {

	private static TestBroker broker;

	private Connection connection;

	@BeforeAll
	static void ownVirtualHost() {
		broker = TestBroker.get().inVirtualHost("registro-test-topology");
	}

	@AfterAll
	static void dropVirtualHost() {
		broker.deleteVirtualHost();
	}

	@BeforeEach
	void connect() throws Exception {
		this.connection = broker.connectionFactory().newConnection();
		for (String queue : List.of("registro", "registro.dlq", "logger", "logger.dlq", "registro.migrating",
				"logger.migrating")) {
			try (Channel channel = this.connection.createChannel()) {
				channel.queueDelete(queue);
			}
		}
	}

	@AfterEach
	void disconnect() throws IOException {
		this.connection.close();
	}

	@ParameterizedTest
	@CsvSource({ "registro, registro.dlq", "logger, logger.dlq" })
	void aMessageThatKeepsFailingEndsInTheDeadLetterQueueWithTheReasonAndIsNeverDropped(String queue,
			String deadLetterQueue) throws Exception {
		new QueueMigration(this.connection).run();
		String id = UUID.randomUUID().toString();
		publish(queue, "poison", new AMQP.BasicProperties.Builder().messageId(id).build());

		int deliveries = 0;
		try (Channel consumer = this.connection.createChannel()) {
			BlockingQueue<Delivery> delivered = new LinkedBlockingQueue<>();
			consumer.basicQos(1);
			consumer.basicConsume(queue, false, (tag, delivery) -> delivered.add(delivery), tag -> {
			});
			Delivery delivery;
			while ((delivery = nextDelivery(delivered, deadLetterQueue)) != null
					&& deliveries <= 2 * Topology.DELIVERY_LIMIT) {
				deliveries++;
				// What a consumer that keeps failing on it does: give it back, as a
				// failure.
				consumer.basicReject(delivery.getEnvelope().getDeliveryTag(), true);
			}
		}

		Delivery dead = get(deadLetterQueue);
		assertThat(deliveries).isEqualTo(Topology.DELIVERY_LIMIT + 1);
		assertThat(dead.getProperties().getMessageId()).isEqualTo(id);
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("poison");
		assertThat(String.valueOf(dead.getProperties().getHeaders().get("x-first-death-reason")))
			.isEqualTo("delivery_limit");
		assertThat(count(queue)).isZero();
	}

	@Test
	void movesTheOriginalsClassicNonDurableQueueIntoRegistrosWithoutLosingAMessage() throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDeclare("registro", false, false, false, null);
		}
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < 1200; i++) {
			String body = "{'service_id': 'app" + (i % 3 + 1) + "', 'timestamp': '2025-04-10 13:26:" + (i % 60)
					+ "', 'action': 'registro'}";
			bodies.add(body);
			publish("registro", body, new AMQP.BasicProperties());
		}
		await().until(() -> count("registro") == bodies.size());

		Map<String, Long> moved = new QueueMigration(this.connection).run();

		assertThat(moved).containsEntry("registro", 1200L).containsEntry("logger", 0L);
		assertThat(declaresAsRegistro("registro")).isTrue();
		assertThat(drain("registro")).containsExactlyElementsOf(bodies);
		assertThat(exists("registro.migrating")).isFalse();
	}

	@Test
	void movesAnEarlierRegistrosLoggerQueueAndKeepsItBoundToTheLogs() throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDeclare("logger", true, false, false, Map.of("x-queue-type", "quorum"));
		}
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId("event-1")
			.appId("app1")
			.headers(Map.of("x-custom", "kept"))
			.build();
		publish("logger", "{\"event\":1}", properties);
		await().until(() -> count("logger") == 1);

		new QueueMigration(this.connection).run();

		assertThat(declaresAsRegistro("logger")).isTrue();
		try (Channel channel = this.connection.createChannel()) {
			channel.basicPublish(Topology.LOGS_EXCHANGE, "", new AMQP.BasicProperties(), "{\"event\":2}".getBytes());
		}
		await().until(() -> count("logger") == 2);
		Delivery first = get("logger");
		assertThat(first.getProperties().getMessageId()).isEqualTo("event-1");
		assertThat(first.getProperties().getAppId()).isEqualTo("app1");
		assertThat(String.valueOf(first.getProperties().getHeaders().get("x-custom"))).isEqualTo("kept");
	}

	@Test
	void finishesAMigrationThatWasInterruptedAfterTheOldQueueWasDeleted() throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDeclare("registro.migrating", true, false, false, Map.of("x-queue-type", "quorum"));
		}
		publish("registro.migrating", "left behind", new AMQP.BasicProperties());
		await().until(() -> count("registro.migrating") == 1);

		new QueueMigration(this.connection).run();

		assertThat(drain("registro")).containsExactly("left behind");
		assertThat(exists("registro.migrating")).isFalse();
	}

	@Test
	void changesNothingOnABrokerThatNeedsNothing() throws Exception {
		new QueueMigration(this.connection).run();
		publish("registro", "waiting", new AMQP.BasicProperties());
		await().until(() -> count("registro") == 1);

		Map<String, Long> moved = new QueueMigration(this.connection).run();

		assertThat(moved.values()).containsOnly(0L);
		assertThat(drain("registro")).containsExactly("waiting");
	}

	@Test
	void refusesToMoveAQueueSomethingStillConsumes() throws Exception {
		Channel original = this.connection.createChannel();
		original.queueDeclare("registro", false, false, false, null);
		original.basicConsume("registro", false, (tag, delivery) -> {
		}, tag -> {
		});

		assertThatIllegalStateException().isThrownBy(() -> new QueueMigration(this.connection).run())
			.withMessageContaining("queue 'registro' has 1 consumer(s)");
		original.close();
	}

	private void publish(String queue, String body, AMQP.BasicProperties properties) throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			channel.confirmSelect();
			channel.basicPublish("", queue, true, properties, body.getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(10_000);
		}
	}

	private Delivery get(String queue) throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			return QueueReads.next(channel, queue, Duration.ofSeconds(10));
		}
	}

	private List<String> drain(String queue) throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			return QueueReads.drain(channel, queue, Duration.ofSeconds(1))
				.stream()
				.map(delivery -> new String(delivery.getBody(), StandardCharsets.UTF_8))
				.toList();
		}
	}

	/**
	 * The message delivered again, or null once the broker has moved it to the
	 * dead-letter queue.
	 */
	private Delivery nextDelivery(BlockingQueue<Delivery> deliveries, String deadLetterQueue) throws Exception {
		Delivery delivery;
		while ((delivery = deliveries.poll(100, TimeUnit.MILLISECONDS)) == null) {
			if (count(deadLetterQueue) > 0) {
				return null;
			}
		}
		return delivery;
	}

	private long count(String queue) throws IOException, TimeoutException {
		try (Channel channel = this.connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
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
			return false;
		}
	}

	/**
	 * Whether the queue is declared exactly as registro declares it (the broker accepts
	 * the same declaration).
	 */
	private boolean declaresAsRegistro(String name) throws IOException, TimeoutException {
		Queue queue = Topology.declarables()
			.getDeclarablesByType(Queue.class)
			.stream()
			.filter(candidate -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		Channel channel = this.connection.createChannel();
		try {
			channel.queueDeclare(name, true, false, false, new HashMap<>(queue.getArguments()));
			channel.close();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
