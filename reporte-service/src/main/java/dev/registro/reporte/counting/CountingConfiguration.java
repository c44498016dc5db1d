package dev.registro.reporte.counting;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import dev.registro.contract.Topology;
import dev.registro.support.messaging.BatchListeners;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.RegistroProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The counts restored before anything is counted, kept where
 * {@code registro.reporte.store} says, and taken in batches by one instance at a time.
 */
@Configuration(proxyBeanMethods = false)
class CountingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(CountingConfiguration.class);

	private static final String STORE = "registro.reporte.store";

	/**
	 * Part of readiness: down, with the reason, while counts cannot be saved and counting
	 * waits.
	 */
	@Bean
	PausingRetry stateWrites(Clock clock) {
		return new PausingRetry(Duration.ofMillis(100), Duration.ofSeconds(10), clock);
	}

	/** Part of readiness: down while an instance has not caught up with the changelog. */
	@Bean
	HealthIndicator counts(Tally tally) {
		return () -> tally.complete() ? Health.up().build()
				: Health.outOfService().withDetail("reason", "catching up with " + Topology.REPORTE_CHANGELOG).build();
	}

	/**
	 * One consumer of {@code registro} per instance; RabbitMQ lets one of them count at a
	 * time. Stopping waits for nothing in flight beyond the batch at hand, so that the
	 * next instance takes over at once.
	 */
	@Bean
	SimpleRabbitListenerContainerFactory registroBatches(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, ReporteProperties properties, RegistroProperties registro) {
		SimpleRabbitListenerContainerFactory factory = BatchListeners.factory(configurer, connectionFactory,
				properties.batchSize(), registro.messaging().maxMessageBytes());
		factory.setForceStop(true);
		// With the changelog, an instance takes its turn only once it has caught up.
		factory.setAutoStartup(properties.store() == ReporteProperties.Store.FILE);
		return factory;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "file", matchIfMissing = true)
	static class StateFile {

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

		@Bean
		StateFileKeeper stateFileKeeper(Tally tally, CountStore store, PausingRetry stateWrites,
				ReporteProperties properties) {
			return new StateFileKeeper(tally, store, stateWrites, properties.durable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "stream")
	static class Stream {

		@Bean
		Declarables reporteChangelog() {
			return Topology.reporteChangelog();
		}

		@Bean
		Changelog changelog(Tally tally, ConfirmingPublisher publisher, ConnectionFactory connectionFactory,
				PausingRetry stateWrites, RabbitListenerEndpointRegistry listeners, ReporteProperties properties,
				Clock clock) {
			log.info("Counts kept in {}, shared with every other reporte instance; a snapshot every {} s",
					Topology.REPORTE_CHANGELOG, properties.snapshotInterval().toSeconds());
			return new Changelog(tally, publisher, connectionFactory, stateWrites, listeners,
					properties.snapshotInterval(), clock);
		}

	}

}
