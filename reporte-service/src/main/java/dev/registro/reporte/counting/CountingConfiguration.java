package dev.registro.reporte.counting;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.RegistroProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The counts kept on disk, restored before anything is counted, and taken in batches. */
@Configuration(proxyBeanMethods = false)
class CountingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(CountingConfiguration.class);

	@Bean
	CountStore countStore(ReporteProperties properties, Tally tally) throws IOException {
		CountStore store = new CountStore(properties.stateFile());
		Snapshot snapshot = store.load();
		tally.restore(snapshot);
		log.info("Counting on from {}: {} registrations of {} services, {} rejected", store.file(),
				snapshot.services().values().stream().mapToLong(Snapshot.ServiceState::count).sum(),
				snapshot.services().size(), snapshot.rejected());
		if (!properties.durable()) {
			log.warn("registro.reporte.durable=false: counts are kept in memory only and acknowledged unsaved; "
					+ "what is counted from now on is lost at the next restart");
		}
		return store;
	}

	/**
	 * Part of readiness: down, with the reason, while counts cannot be saved and counting
	 * waits.
	 */
	@Bean
	PausingRetry stateWrites(Clock clock) {
		return new PausingRetry(Duration.ofMillis(100), Duration.ofSeconds(10), clock);
	}

	@Bean
	SimpleRabbitListenerContainerFactory registroBatches(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, ReporteProperties properties, RegistroProperties registro) {
		return BatchListeners.factory(configurer, connectionFactory, properties.batchSize(),
				registro.messaging().maxMessageBytes());
	}

}
