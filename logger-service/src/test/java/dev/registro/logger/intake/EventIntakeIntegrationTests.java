package dev.registro.logger.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import dev.registro.contract.LogBatch;
import dev.registro.contract.LogBatch.Entry;
import dev.registro.contract.LogEvent;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Topology;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logger on a real RabbitMQ: what reaches the logs fanout ends up in every form of
 * the history.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class EventIntakeIntegrationTests {

	private static final Path DIRECTORY;

	static {
		try {
			DIRECTORY = Files.createTempDirectory("logger-it");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	private final String serviceId = "it-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void historyDirectory(DynamicPropertyRegistry registry) {
		registry.add("registro.logger.directory", DIRECTORY::toString);
	}

	@Test
	void keepsEveryEventOfTheFanoutInOrderWithItsMessageId() {
		// RabbitMQ keeps the order of what one channel publishes: send the three on one.
		this.rabbit.invoke(onOneChannel -> {
			for (int i = 1; i <= 3; i++) {
				onOneChannel.send(Topology.LOGS_EXCHANGE, "",
						message(new LogEvent(this.serviceId, Instant.now(), Level.INFO, "registration " + i, "m-" + i)
							.encode()));
			}
			return null;
		});

		String json = awaitEvents(this.serviceId, 3);

		assertThat(JsonPath.<List<String>>read(json, "$.events[*].message")).containsExactly("registration 3",
				"registration 2", "registration 1");
		assertThat(JsonPath.<List<String>>read(json, "$.events[*].message_id")).containsExactly("m-3", "m-2", "m-1");
		assertThat(JsonPath.<List<Integer>>read(json, "$.events[*].seq")).isSortedAccordingTo((a, b) -> b - a);
	}

	@Test
	void keepsAnUnreadableEventAsARejectedLineAndGoesOn() {
		String eventId = "bad-" + UUID.randomUUID();
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(eventId);
		properties.setAppId(this.serviceId);
		this.rabbit.send(Topology.LOGS_EXCHANGE, "",
				new Message("<<not an event>>".getBytes(StandardCharsets.UTF_8), properties));
		publish(new LogEvent(this.serviceId, Instant.now(), Level.WARN, "after the bad one", null).encode());

		String json = awaitEvents(this.serviceId, 2);

		assertThat(JsonPath.<String>read(json, "$.events[0].message")).isEqualTo("after the bad one");
		assertThat(JsonPath.<String>read(json, "$.events[1].event_id")).isEqualTo(eventId);
		assertThat(JsonPath.<String>read(json, "$.events[1].rejected")).isEqualTo("malformed");
		assertThat(JsonPath.<String>read(json, "$.events[1].raw")).isEqualTo("<<not an event>>");
		assertThat(JsonPath.<String>read(json, "$.events[1].level")).isEqualTo("ERROR");
	}

	@Test
	void keepsEveryEventOfABatchOnceUnderItsOwnIdHoweverOftenTheBatchComes() {
		String batchId = "batch-" + UUID.randomUUID();
		byte[] body = LogBatch.body(List.of(
				LogBatch.line(new Entry("e-a-" + batchId,
						new LogEvent(this.serviceId, Instant.now(), Level.INFO, "first of the batch", "m-a"))),
				"not an event\n".getBytes(StandardCharsets.UTF_8), LogBatch.line(new Entry("e-b-" + batchId,
						new LogEvent(this.serviceId, Instant.now(), Level.INFO, "last of the batch", "m-b")))));
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(batchId);
		properties.setAppId(this.serviceId);
		properties.setType(LogBatch.TYPE);
		// The same batch twice, as a publisher that saw no confirm sends it again, then
		// an
		// event; on one channel, so that they come in this order.
		this.rabbit.invoke(onOneChannel -> {
			onOneChannel.send(Topology.LOGS_EXCHANGE, "", new Message(body, properties));
			onOneChannel.send(Topology.LOGS_EXCHANGE, "", new Message(body, properties));
			onOneChannel.send(Topology.LOGS_EXCHANGE, "", message(
					new LogEvent(this.serviceId, Instant.now(), Level.INFO, "after the batches", null).encode()));
			return null;
		});

		String json = awaitEvents(this.serviceId, 4);

		assertThat(JsonPath.<List<String>>read(json, "$.events[*].event_id")).hasSize(4)
			.endsWith("e-b-" + batchId, batchId + "#1", "e-a-" + batchId);
		assertThat(JsonPath.<List<String>>read(json, "$.events[*].message")).startsWith("after the batches",
				"last of the batch");
		assertThat(JsonPath.<String>read(json, "$.events[2].rejected")).isEqualTo("malformed");
		assertThat(JsonPath.<String>read(json, "$.events[2].raw")).isEqualTo("not an event");
		assertThat(JsonPath.<String>read(json, "$.events[3].message")).isEqualTo("first of the batch");
	}

	@Test
	void showsTheSameHistoryAsTextAndAsAPage() {
		publish(new LogEvent(this.serviceId, Instant.now(), Level.INFO, "visible everywhere", "m-x").encode());
		awaitEvents(this.serviceId, 1);

		String text = this.http.get()
			.uri("/logs?format=text&service=" + this.serviceId)
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(text).matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] - Servicio: " + this.serviceId
				+ " - Mensaje: visible everywhere\n");
		String page = this.http.get()
			.uri("/logs?service=" + this.serviceId)
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("visible everywhere", "m-x");
	}

	@Test
	void reportsItsHealthAndMeters() {
		publish(new LogEvent(this.serviceId, Instant.now(), Level.INFO, "metered", null).encode());
		awaitEvents(this.serviceId, 1);

		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		String meters = this.http.get()
			.uri("/actuator/prometheus")
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(meters).contains("registro_logger_events_written_total",
				"registro_logger_bytes_written_bytes_total");
	}

	private void publish(byte[] body) {
		this.rabbit.send(Topology.LOGS_EXCHANGE, "", message(body));
	}

	private Message message(byte[] body) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(UUID.randomUUID().toString());
		properties.setAppId(this.serviceId);
		return new Message(body, properties);
	}

	private String awaitEvents(String serviceId, int count) {
		return awaitEvents(this.http, serviceId, count);
	}

	/** The history's events of a service, as JSON, once there are that many. */
	static String awaitEvents(RestTestClient http, String serviceId, int count) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> http.get()
				.uri("/logs?format=json&service=" + serviceId)
				.headers(h -> h.setBasicAuth("admin", "123"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody(), json -> JsonPath.<List<?>>read(json, "$.events").size() == count);
	}

}
