package dev.registro.reporte.counting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import dev.registro.contract.Topology;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;

/**
 * reporte on a real RabbitMQ when something fails: counts that cannot be saved (a full
 * disk) pause counting, with readiness down, and every registration is counted once the
 * disk has room, none in the dead-letter queue; a registration it fails on unexpectedly
 * goes to the dead-letter queue with the error on its first delivery, and counting goes
 * on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.reporte.state-file=target/test-state/fault-counts.json")
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class CountingFaultTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin admin;

	@MockitoSpyBean
	private CountStore store;

	@MockitoSpyBean
	private Tally tally;

	private final String serviceId = "fault-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	void emptyDeadLetters() {
		this.admin.purgeQueue(Topology.REGISTRO_DLQ, false);
	}

	@Test
	void pausesWhileTheCountsCannotBeSavedAndCountsEveryRegistrationOnceTheyCan() throws Exception {
		AtomicBoolean diskFull = new AtomicBoolean(true);
		willAnswer(invocation -> {
			if (diskFull.get()) {
				throw new IOException("No space left on device");
			}
			return invocation.callRealMethod();
		}).given(this.store).save(any(Snapshot.class));

		for (int i = 0; i < 150; i++) {
			publish(registration(this.serviceId), this.serviceId + "-" + i);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.http.get()
				.uri("/actuator/health/readiness")
				.headers(h -> h.setBasicAuth("admin", "123"))
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.components.stateWrites.details.reason")
				.isEqualTo("java.io.IOException: No space left on device"));
		// Long enough for RabbitMQ 4 to have dead-lettered them, had they gone back 20
		// times.
		Thread.sleep(3000);
		assertThat(this.admin.getQueueInfo(Topology.REGISTRO_DLQ).getMessageCount()).isZero();

		diskFull.set(false);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		await().atMost(Duration.ofSeconds(30)).until(() -> counted(this.serviceId) == 150);
		assertThat(this.store.load().services().get(this.serviceId).count()).isEqualTo(150);
		assertThat(this.admin.getQueueInfo(Topology.REGISTRO_DLQ).getMessageCount()).isZero();
	}

	@Test
	void setsAsideARegistrationItFailsOnUnexpectedlyOnItsFirstDeliveryAndGoesOn() {
		String broken = this.serviceId + "-bug";
		willThrow(new IllegalStateException("a bug")).given(this.tally).knows(broken);

		publish(registration(broken), broken + "-1");
		publish(registration(this.serviceId), this.serviceId + "-1");

		await().atMost(Duration.ofSeconds(10)).until(() -> counted(this.serviceId) == 1);
		Message dead = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.receive(Topology.REGISTRO_DLQ), message -> message != null);
		assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(broken + "-1");
		assertThat(dead.getMessageProperties().getHeaders())
			.containsEntry(Topology.REJECTION_KIND_HEADER, "handling_failed")
			.containsEntry(Topology.REJECTION_REASON_HEADER, "java.lang.IllegalStateException: a bug")
			.doesNotContainKey("x-death");
		assertThat(counted(broken)).isZero();
	}

	private static String registration(String serviceId) {
		return "{\"service_id\":\"" + serviceId + "\",\"timestamp\":\"2026-11-30 12:00:00\",\"action\":\"registro\"}";
	}

	private void publish(String body, String messageId) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		this.rabbit.send("", Topology.REGISTRO_QUEUE, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	private long counted(String serviceId) {
		String json = this.http.get()
			.uri("/reportes")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Map<String, Number> counts = JsonPath.read(json, "$");
		return counts.getOrDefault(serviceId, 0).longValue();
	}

}
