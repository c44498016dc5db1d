package dev.registro.logger.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import dev.registro.contract.LogEvent;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Topology;
import dev.registro.logger.history.EventLog;
import dev.registro.logger.history.NewEvent;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.willAnswer;

/**
 * The logger on a real RabbitMQ while its history cannot be written (a full disk): it
 * stops taking events and says why, hands nothing back to the queue (RabbitMQ 4 would
 * count every return towards the delivery limit), and writes every event once the disk
 * has room again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class EventIntakeFaultTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin admin;

	@MockitoSpyBean
	private EventLog history;

	private final String serviceId = "fault-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void historyDirectory(DynamicPropertyRegistry registry) throws IOException {
		Path directory = Files.createTempDirectory("logger-fault");
		registry.add("registro.logger.directory", directory::toString);
	}

	@Test
	void waitsOutAHistoryThatCannotBeWrittenAndThenWritesEveryEventOnce() throws Exception {
		this.admin.purgeQueue(Topology.LOGGER_DLQ, false);
		AtomicBoolean diskFull = new AtomicBoolean(true);
		willAnswer(invocation -> {
			List<NewEvent> events = invocation.getArgument(0);
			if (diskFull.get() && events.stream().anyMatch(event -> this.serviceId.equals(event.serviceId()))) {
				throw new IOException("No space left on device");
			}
			return invocation.callRealMethod();
		}).given(this.history).append(anyList());

		for (int i = 1; i <= 10; i++) {
			publish(new LogEvent(this.serviceId, Instant.now(), Level.INFO, "event " + i, "m-" + i));
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503));
		// Long enough for RabbitMQ 4 to have dropped them, had they gone back 20 times.
		Thread.sleep(3000);
		assertThat(this.admin.getQueueInfo(Topology.LOGGER_DLQ).getMessageCount()).isZero();
		assertThat(events()).isEmpty();

		diskFull.set(false);

		await().atMost(Duration.ofSeconds(30)).until(() -> events().size() == 10);
		assertThat(events()).containsExactlyInAnyOrder("m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8", "m-9",
				"m-10");
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		assertThat(this.admin.getQueueInfo(Topology.LOGGER_DLQ).getMessageCount()).isZero();
	}

	private void publish(LogEvent event) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(UUID.randomUUID().toString());
		properties.setAppId(this.serviceId);
		this.rabbit.send(Topology.LOGS_EXCHANGE, "", new Message(event.encode(), properties));
	}

	/** The message ids of this test's events in the history. */
	private List<String> events() {
		String json = this.http.get()
			.uri("/logs?format=json&limit=1000&service=" + this.serviceId)
			.headers(h -> h.setBasicAuth("admin", "123"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return JsonPath.read(json, "$.events[*].message_id");
	}

}
