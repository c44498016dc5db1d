package dev.registro.reporte.counting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import dev.registro.contract.Topology;
import dev.registro.testsupport.TcpGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * reporte whose broker is away at start-up: it starts, serves what it has, says it is not
 * ready, and starts counting by itself once the broker answers. The broker is the real
 * one, behind a gate the test opens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.reporte.state-file=target/test-state/outage-counts.json")
@AutoConfigureRestTestClient
class CountingBrokerOutageTests {

	private static final TcpGate gate = TcpGate.shutInFrontOfTheBroker();

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@DynamicPropertySource
	static void brokerBehindTheGate(DynamicPropertyRegistry registry) {
		gate.routeBrokerThrough(registry);
	}

	@AfterAll
	static void closeGate() {
		gate.close();
	}

	@Test
	void startsWithoutABrokerAndCountsOnceItComes() {
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
		this.http.get().uri("/reportes").headers(h -> h.setBasicAuth("admin", "123")).exchange().expectStatus().isOk();

		gate.open();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		String serviceId = "it-" + UUID.randomUUID().toString().substring(0, 8);
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(UUID.randomUUID().toString());
		this.rabbit.send("", Topology.REGISTRO_QUEUE, new Message(
				("{\"service_id\":\"" + serviceId + "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}")
					.getBytes(StandardCharsets.UTF_8),
				properties));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get()
				.uri("/reportes")
				.headers(h -> h.setBasicAuth("admin", "123"))
				.exchange()
				.expectBody()
				.jsonPath("$['" + serviceId + "']")
				.isEqualTo(1));
	}

}
