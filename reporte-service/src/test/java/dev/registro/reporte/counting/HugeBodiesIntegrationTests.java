package dev.registro.reporte.counting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.registro.contract.Topology;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * reporte's memory is bounded by settings, not by producers: the broker registro ships
 * takes no body over {@link Topology#MAX_MESSAGE_BYTES} (rabbitmq/registro.conf), and
 * reporte prefetches only as many such bodies as fit a quarter of its heap. A dozen 12
 * MiB bodies are refused at the broker; one at the bound is dead-lettered; the
 * registrations behind them are all counted. Needs a broker with registro's
 * configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.reporte.state-file=target/test-state/huge-counts.json")
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class HugeBodiesIntegrationTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin admin;

	private final String serviceId = "huge-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void refusesHugeBodiesAtTheBrokerDeadLettersOneAtTheBoundAndCountsWhatFollows() throws Exception {
		this.admin.purgeQueue(Topology.REGISTRO_DLQ, false);
		try (Connection connection = this.connectionFactory.createConnection()) {
			for (int i = 0; i < 12; i++) {
				Channel channel = connection.getDelegate().createChannel();
				channel.confirmSelect();
				assertThatException().isThrownBy(() -> {
					channel.basicPublish("", Topology.REGISTRO_QUEUE, null, new byte[12 << 20]);
					channel.waitForConfirmsOrDie(30_000);
				}).withStackTraceContaining("larger than configured max size");
			}
			Channel channel = connection.getDelegate().createChannel();
			channel.confirmSelect();
			String atTheBound = "bound-" + UUID.randomUUID();
			channel.basicPublish("", Topology.REGISTRO_QUEUE,
					new AMQP.BasicProperties.Builder().messageId(atTheBound).build(),
					new byte[Topology.MAX_MESSAGE_BYTES]);
			for (int i = 0; i < 100; i++) {
				channel.basicPublish("", Topology.REGISTRO_QUEUE,
						new AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString()).build(),
						("{\"service_id\":\"" + this.serviceId
								+ "\",\"timestamp\":\"2026-11-30 12:00:00\",\"action\":\"registro\"}")
							.getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(30_000);
			channel.close();

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> this.http.get()
					.uri("/reportes")
					.headers(h -> h.setBasicAuth("admin", "123"))
					.exchange()
					.expectBody()
					.jsonPath("$['" + this.serviceId + "']")
					.isEqualTo(100));
			Message dead = await().atMost(Duration.ofSeconds(10))
				.until(() -> this.rabbit.receive(Topology.REGISTRO_DLQ), message -> message != null);
			assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(atTheBound);
			assertThat(dead.getBody()).hasSize(Topology.MAX_MESSAGE_BYTES);
		}
	}

}
