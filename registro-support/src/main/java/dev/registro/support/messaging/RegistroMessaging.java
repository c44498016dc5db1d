package dev.registro.support.messaging;

import java.time.Clock;
import java.time.Duration;

import dev.registro.contract.LogEvent;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Topology;
import dev.registro.support.topology.TopologyCheck;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker side every service shares: the topology, declared whenever a connection
 * opens and checked before the service starts; the confirming publisher; and log events,
 * starting with one that says the service started. A service takes it with
 * {@code @Import}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistroProperties.class)
public class RegistroMessaging {

	@Bean
	Declarables registroTopology() {
		return Topology.declarables();
	}

	@Bean
	TopologyCheck topologyCheck(ConnectionFactory connectionFactory) {
		return new TopologyCheck(connectionFactory);
	}

	/**
	 * The client's NIO mode: frames are queued and one I/O thread writes whatever has
	 * queued up in one go, where the blocking mode flushes every publish and ack to the
	 * socket on its own. Under load several registrations then share a TCP segment, and
	 * the broker reads and confirms them together. Measured side by side: a quarter fewer
	 * segments, and about half the broker's CPU, per registration.
	 */
	@Bean
	ConnectionFactoryCustomizer nioConnections() {
		return factory -> factory.useNio();
	}

	@Bean
	Clock clock() {
		return Clock.systemDefaultZone();
	}

	@Bean
	ConfirmingPublisher confirmingPublisher(ConnectionFactory connectionFactory, RegistroProperties properties) {
		return new ConfirmingPublisher(connectionFactory, properties.messaging().confirmTimeout());
	}

	@Bean
	LogEvents logEvents(ConfirmingPublisher publisher, RegistroProperties properties, MeterRegistry meters,
			Clock clock) {
		// Retried long enough to ride out a broker restart, not so long that memory fills
		// up.
		// A batch at most half the largest body the broker takes: far from its limit,
		// and still dozens of events.
		return new LogEvents(publisher, properties.serviceId(), meters, clock, properties.messaging().logLinger(),
				properties.messaging().maxMessageBytes() / 2, Duration.ofMillis(500), LogEvent.REDELIVERY_HORIZON);
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> announceStart(LogEvents events) {
		return ready -> events.publish(Level.INFO, "started", null);
	}

}
