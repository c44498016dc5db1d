package dev.registro.cliente.registration;

import java.time.Clock;

import dev.registro.contract.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker side of a client: the shared topology, declared whenever a connection opens, a
 * template whose returns are logged with the message id, and the confirming publisher.
 */
@Configuration(proxyBeanMethods = false)
class RegistrationConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RegistrationConfiguration.class);

	@Bean
	Declarables registroTopology() {
		return Topology.declarables();
	}

	@Bean
	RabbitTemplateCustomizer logReturns() {
		return template -> template.setReturnsCallback(returned -> log.warn("Returned by the broker: message_id={} {} {} (exchange '{}', routing key '{}')",
				returned.getMessage().getMessageProperties().getMessageId(), returned.getReplyCode(),
				returned.getReplyText(), returned.getExchange(), returned.getRoutingKey()));
	}

	@Bean
	Clock clock() {
		return Clock.systemDefaultZone();
	}

	@Bean
	ConfirmingPublisher confirmingPublisher(RabbitTemplate rabbit, ClienteProperties properties) {
		return new ConfirmingPublisher(rabbit, properties.confirmTimeout());
	}

}
