package dev.registro.cliente.registration;

import java.time.Duration;

import dev.registro.testsupport.TcpGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * A client whose broker is away: it starts anyway, says it is not ready, answers 503, and
 * recovers by itself once the broker answers. The broker is the real one, behind a gate
 * the test opens and shuts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.service-id=it-outage")
@AutoConfigureRestTestClient
class RegistrationBrokerOutageTests {

	private static final TcpGate gate = TcpGate.shutInFrontOfTheBroker();

	@Autowired
	private RestTestClient http;

	@DynamicPropertySource
	static void brokerBehindTheGate(DynamicPropertyRegistry registry) {
		gate.routeBrokerThrough(registry);
	}

	@AfterAll
	static void closeGate() {
		gate.close();
	}

	@Test
	void startsWithoutABrokerAnswers503AndRecoversByItself() {
		gate.shut();
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
		this.http.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.service")
			.isEqualTo("it-outage")
			.jsonPath("$.error")
			.value(String.class,
					error -> org.assertj.core.api.Assertions.assertThat(error).startsWith("broker unreachable"));

		gate.open();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/").exchange().expectStatus().isOk());

		gate.shut();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/").exchange().expectStatus().isEqualTo(503));
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);

		gate.open();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/").exchange().expectStatus().isOk());
	}

}
