package dev.registro.logger.intake;

import dev.registro.logger.LoggerProperties;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Events arrive in batches: one write, one flush and one acknowledgement per batch. */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

	/** A partial batch waits this long for more events before it is written. */
	private static final long BATCH_WAIT_MILLIS = 20;

	@Bean
	SimpleRabbitListenerContainerFactory eventBatches(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, LoggerProperties properties) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connectionFactory);
		factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		factory.setBatchListener(true);
		factory.setConsumerBatchEnabled(true);
		factory.setBatchSize(properties.batchSize());
		factory.setPrefetchCount(Math.max(250, properties.batchSize()));
		factory.setReceiveTimeout(BATCH_WAIT_MILLIS);
		factory.setConcurrentConsumers(1);
		factory.setMaxConcurrentConsumers(1);
		return factory;
	}

}
