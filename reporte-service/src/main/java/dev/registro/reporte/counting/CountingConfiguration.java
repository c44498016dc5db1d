package dev.registro.reporte.counting;

import dev.registro.contract.Topology;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared topology, declared whenever a connection to the broker opens. */
@Configuration(proxyBeanMethods = false)
class CountingConfiguration {

	@Bean
	Declarables registroTopology() {
		return Topology.declarables();
	}

}
