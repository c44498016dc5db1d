package dev.registro.cliente.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import dev.registro.contract.LogBatch;
import dev.registro.contract.LogBatch.Entry;
import dev.registro.contract.LogEvent;
import dev.registro.contract.Topology;
import com.rabbitmq.client.Delivery;
import dev.registro.testsupport.QueueReads;
import dev.registro.testsupport.RabbitTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client against a real RabbitMQ: what it publishes, and what it answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "registro.service-id=it-cliente")
@AutoConfigureRestTestClient
@Import(RabbitTestSupport.class)
class RegistrationBrokerIntegrationTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private AmqpAdmin admin;

	@Autowired
	private ApplicationContext context;

	@BeforeEach
	void emptyQueues() {
		this.admin.purgeQueue(Topology.REGISTRO_QUEUE, false);
		this.admin.purgeQueue(Topology.LOGGER_QUEUE, false);
	}

	@Test
	void publishesAConfirmedRegistrationInTheContractsFormBeforeAnswering200() {
		String answer = this.http.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String messageId = JsonPath.read(answer, "$.registered.message_id");
		String time = JsonPath.read(answer, "$.registered.time");

		Message message = receiveRegistration();

		assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
			.isEqualTo("{\"service_id\":\"it-cliente\",\"timestamp\":\"" + time + "\",\"action\":\"registro\"}");
		assertThat(message.getMessageProperties().getMessageId()).isEqualTo(messageId);
		assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
		assertThat(message.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		assertThat(message.getMessageProperties().getAppId()).isEqualTo("it-cliente");
		assertThat(message.getMessageProperties().getHeaders()).doesNotContainKey("__TypeId__");
	}

	@Test
	void followsEachRegistrationWithALogEventForTheCentralLogger() throws Exception {
		String answer = this.http.post()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		String messageId = JsonPath.read(answer, "$.registered.message_id");

		// Other events (the service's start) may be there too: find the one about this
		// registration.
		Message event = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.receive(Topology.LOGGER_QUEUE),
					m -> m != null && new String(m.getBody(), StandardCharsets.UTF_8).contains(messageId));

		assertThat(event.getMessageProperties().getType()).isEqualTo(LogBatch.TYPE);
		assertThat(event.getMessageProperties().getAppId()).isEqualTo("it-cliente");
		Entry entry = LogBatch.decode(event.getBody(), LogEvent.DEFAULT_MAX_BODY_BYTES)
			.stream()
			.map(LogBatch.Line::entry)
			.filter(candidate -> messageId.equals(candidate.event().messageId()))
			.findFirst()
			.orElseThrow();
		assertThat(entry.event().serviceId()).isEqualTo("it-cliente");
		assertThat(entry.event().level()).isEqualTo(LogEvent.Level.INFO);
		assertThat(entry.eventId()).isNotBlank().isNotEqualTo(messageId);
	}

	@Test
	void answers503WhenTheQueueIsMissingAndTheBrokerReturnsTheMessage() {
		this.admin.deleteQueue(Topology.REGISTRO_QUEUE);
		try {
			this.http.get().uri("/").exchange().expectStatus().isEqualTo(503).expectBody().json("""
					{"service":"it-cliente","error":"broker could not route it to 'registro' (312 NO_ROUTE)"}
					""", JsonCompareMode.STRICT);
		}
		finally {
			((RabbitAdmin) this.admin).initialize();
		}
		this.http.get().uri("/").exchange().expectStatus().isOk();
	}

	@Test
	void exposesHealthGroupsAndMetersWithoutCredentials() {
		this.http.get().uri("/").exchange().expectStatus().isOk();

		this.http.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		String meters = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(meters).contains("registro_published_total", "registro_confirmed_total",
				"registro_confirm_time_seconds");
		this.http.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
		this.http.get().uri("/actuator/beans").exchange().expectStatus().isNotFound();
	}

	@Test
	void doesNotRegisterByItselfUnlessAskedTo() {
		assertThat(this.context.getBeansOfType(SelfRegistration.class)).isEmpty();
	}

	/** registro takes no basic.get (single active consumer): the message is consumed. */
	private Message receiveRegistration() {
		Delivery delivery = this.rabbit
			.execute(channel -> QueueReads.next(channel, Topology.REGISTRO_QUEUE, Duration.ofSeconds(10)));
		assertThat(delivery).as("a message in registro").isNotNull();
		return new Message(delivery.getBody(), new DefaultMessagePropertiesConverter()
			.toMessageProperties(delivery.getProperties(), delivery.getEnvelope(), "UTF-8"));
	}

}
