package dev.registro.logger.intake;

import java.time.Clock;
import java.time.Duration;

import dev.registro.contract.Topology;
import dev.registro.logger.LoggerProperties;
import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.RegistroProperties;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Events arrive in batches: one write, one flush and one acknowledgement per batch. */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

	/**
	 * Part of readiness: down, with the reason, while the history cannot be written and
	 * intake waits.
	 */
	@Bean
	PausingRetry stateWrites(Clock clock) {
		return new PausingRetry(Duration.ofMillis(100), Duration.ofSeconds(10), clock);
	}

	/** A queue of its own, when this logger is not the central one. */
	@Bean
	Declarables ownQueue(LoggerProperties properties) {
		return Topology.LOGGER_QUEUE.equals(properties.queue()) ? new Declarables()
				: Topology.loggerQueue(properties.queue());
	}

	@Bean
	SimpleRabbitListenerContainerFactory eventBatches(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, LoggerProperties properties, RegistroProperties registro) {
		return BatchListeners.factory(configurer, connectionFactory, properties.batchSize(),
				registro.messaging().maxMessageBytes());
	}

}
