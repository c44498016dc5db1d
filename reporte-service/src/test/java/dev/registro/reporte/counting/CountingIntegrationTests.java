package dev.registro.reporte.counting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * reporte on a real RabbitMQ: what it counts, what it refuses, and where refused messages
 * go.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "registro.reporte.state-file=target/test-state/counts.json",
				"registro.reporte.rejection-summary-interval=300ms" })
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class CountingIntegrationTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin admin;

	private final String serviceId = "it-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<String> summaries = new ArrayList<>();

	@BeforeEach
	void emptyDeadLettersAndEvents() {
		this.admin.purgeQueue(Topology.REGISTRO_DLQ, false);
		this.admin.purgeQueue(Topology.LOGGER_QUEUE, false);
	}

	@Test
	void countsJsonAndThePythonProducersStrDictAlike() {
		publish("{\"service_id\":\"" + this.serviceId
				+ "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}");
		publish("{'service_id': '" + this.serviceId + "', 'timestamp': '2025-04-10 13:26:02', 'action': 'registro'}");

		awaitCount(this.serviceId, 2);
		this.http.get()
			.uri("/reportes/resumen")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectBody()
			.jsonPath("$.services[?(@.service_id == '" + this.serviceId + "')].last_registration")
			.isEqualTo(List.of("2026-11-29 12:00:00"));
		String text = this.http.get()
			.uri("/reporte")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(text).contains("'" + this.serviceId + "': 2");
	}

	@Test
	void deadLettersGarbageWithTheReasonAndKeepsCountingAfterIt() {
		String garbageId = "garbage-" + UUID.randomUUID();
		Message garbage = message("this is not a registration", garbageId);
		this.rabbit.send("", Topology.REGISTRO_QUEUE, garbage);
		publish("{\"service_id\":\"" + this.serviceId
				+ "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}");

		awaitCount(this.serviceId, 1);
		Message dead = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.receive(Topology.REGISTRO_DLQ), m -> m != null);
		assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("this is not a registration");
		assertThat(dead.getMessageProperties().getMessageId()).isEqualTo(garbageId);
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(Topology.REJECTION_KIND_HEADER, "malformed")
			.hasEntrySatisfying(Topology.REJECTION_REASON_HEADER,
					reason -> assertThat((String) reason).contains("neither JSON nor a Python dict"));
		assertThat(this.rabbit.receive(Topology.REGISTRO_DLQ)).isNull();
	}

	@Test
	void tellsTheCentralLogAboutRejectionsInOneSummaryPerKindAndProducer() {
		List<String> garbageIds = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			garbageIds.add("garbage-" + UUID.randomUUID());
			this.rabbit.send("", Topology.REGISTRO_QUEUE,
					message("{\"service_id\": 42}", garbageIds.get(i), this.serviceId));
		}

		List<String> events = await().atMost(Duration.ofSeconds(10))
			.until(() -> summariesFrom(this.serviceId), found -> rejectedIn(found) == 5);

		assertThat(events)
			.allSatisfy(json -> assertThat(json).contains("\"service_id\":\"reporte\"", "\"level\":\"WARN\"",
					"from " + this.serviceId + " (wrong_type)", "'service_id' must be a string", "in registro.dlq"));
		assertThat(events).allSatisfy(json -> assertThat(garbageIds).anyMatch(json::contains));
	}

	@Test
	void keepsTheNewestOfAGarbageFloodInABoundedDlqSummarisesItAndCountsOn() {
		int flood = Topology.DLQ_MAX_LENGTH + 2_000;
		this.rabbit.invoke(channel -> {
			for (int i = 0; i < flood; i++) {
				channel.send("", Topology.REGISTRO_QUEUE, message("garbage " + i, null, this.serviceId));
			}
			return null;
		});
		publish("{\"service_id\":\"" + this.serviceId
				+ "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}");

		awaitCount(this.serviceId, 1, Duration.ofMinutes(2));
		assertThat(this.admin.getQueueInfo(Topology.REGISTRO_DLQ).getMessageCount()).isBetween(1L,
				(long) Topology.DLQ_MAX_LENGTH);
		List<String> summaries = await().atMost(Duration.ofSeconds(10))
			.until(() -> summariesFrom(this.serviceId), found -> rejectedIn(found) == (long) flood);
		assertThat(summaries).hasSizeLessThan(100);
	}

	/**
	 * The central log's summaries about rejected messages from this producer, as JSON.
	 */
	private List<String> summariesFrom(String producer) {
		List<String> found = new ArrayList<>(this.summaries);
		Message event;
		while ((event = this.rabbit.receive(Topology.LOGGER_QUEUE)) != null) {
			// A batch of events, one line of JSON each.
			for (String json : new String(event.getBody(), StandardCharsets.UTF_8).split("\n")) {
				if (json.contains("from " + producer + " (")) {
					this.summaries.add(json);
					found.add(json);
				}
			}
		}
		return found;
	}

	private static long rejectedIn(List<String> summaries) {
		return summaries.stream()
			.map(json -> Pattern.compile("rejected (\\d+) message").matcher(json))
			.filter(Matcher::find)
			.mapToLong(matcher -> Long.parseLong(matcher.group(1)))
			.sum();
	}

	@Test
	void neverCountsAnInvalidRegistrationAndCountsItAsRejected() {
		long rejectedBefore = rejected();
		String wrongAction = "{\"service_id\":\"" + this.serviceId
				+ "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"baja\"}";
		publish(wrongAction);
		publish("{\"service_id\":\"" + this.serviceId
				+ "\",\"timestamp\":\"2026-11-29 12:00:00\",\"action\":\"registro\"}");

		awaitCount(this.serviceId, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> rejected() == rejectedBefore + 1);
		Message dead = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.receive(Topology.REGISTRO_DLQ), m -> m != null);
		assertThat(dead.getMessageProperties().getHeaders()).containsEntry(Topology.REJECTION_KIND_HEADER,
				"invalid_action");
		String meters = this.http.get()
			.uri("/actuator/prometheus")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(meters).contains("registro_rejected_total{kind=\"invalid_action\"", "registro_counted_total",
				"registro_consumed_total");
	}

	@Test
	void opensHealthToAnyoneAndMetersOnlyToTheAdmin() {
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.http.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		this.http.get()
			.uri("/actuator/env")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private long rejected() {
		Number rejected = com.jayway.jsonpath.JsonPath.read(this.http.get()
			.uri("/reportes/resumen")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody(), "$.rejected");
		return rejected.longValue();
	}

	private void awaitCount(String serviceId, long expected) {
		awaitCount(serviceId, expected, Duration.ofSeconds(10));
	}

	private void awaitCount(String serviceId, long expected, Duration atMost) {
		await().atMost(atMost)
			.untilAsserted(() -> this.http.get()
				.uri("/reportes")
				.headers(h -> h.setBasicAuth("admin", "123"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$['" + serviceId + "']")
				.isEqualTo(expected));
	}

	private void publish(String body) {
		this.rabbit.send("", Topology.REGISTRO_QUEUE, message(body, UUID.randomUUID().toString()));
	}

	private static Message message(String body, String messageId) {
		return message(body, messageId, null);
	}

	private static Message message(String body, String messageId, String appId) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setAppId(appId);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
