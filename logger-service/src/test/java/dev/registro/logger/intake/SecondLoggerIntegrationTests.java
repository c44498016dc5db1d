package dev.registro.logger.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import dev.registro.contract.LogEvent;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Topology;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second logger, on a queue of its own: it declares the queue, binds it to the logs
 * fanout and keeps every event in its own history (the central {@code logger} queue is
 * bound beside it: {@code TopologyTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.logger.queue=" + SecondLoggerIntegrationTests.QUEUE)
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class SecondLoggerIntegrationTests {

	static final String QUEUE = "logger.second-it";

	private static AmqpAdmin admin;

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin amqpAdmin;

	private final String serviceId = "second-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void historyDirectory(DynamicPropertyRegistry registry) throws IOException {
		Path directory = Files.createTempDirectory("second-logger-it");
		registry.add("registro.logger.directory", directory::toString);
	}

	@AfterAll
	static void deleteTheQueue() {
		// Bound to the fanout, it would keep a copy of every test's events.
		if (admin != null) {
			admin.deleteQueue(QUEUE);
		}
	}

	@Test
	void keepsEveryEventOfTheFanoutFromAQueueOfItsOwnBesideTheCentralOne() {
		admin = this.amqpAdmin;
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(UUID.randomUUID().toString());
		properties.setAppId(this.serviceId);
		this.rabbit.send(Topology.LOGS_EXCHANGE, "", new Message(
				new LogEvent(this.serviceId, Instant.now(), Level.INFO, "seen by both", "m-1").encode(), properties));

		String json = EventIntakeIntegrationTests.awaitEvents(this.http, this.serviceId, 1);

		assertThat(JsonPath.<String>read(json, "$.events[0].message")).isEqualTo("seen by both");
		assertThat(this.amqpAdmin.getQueueInfo(QUEUE)).extracting(QueueInformation::getConsumerCount).isEqualTo(1);
	}

}
