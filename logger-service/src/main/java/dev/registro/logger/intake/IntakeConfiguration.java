package dev.registro.logger.intake;

import dev.registro.logger.LoggerProperties;
import dev.registro.support.messaging.BatchListeners;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Events arrive in batches: one write, one flush and one acknowledgement per batch. */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

	@Bean
	SimpleRabbitListenerContainerFactory eventBatches(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, LoggerProperties properties) {
		return BatchListeners.factory(configurer, connectionFactory, properties.batchSize());
	}

}
