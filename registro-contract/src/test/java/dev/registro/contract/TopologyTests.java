package dev.registro.contract;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyTests {

	@Test
	void registroIsADurableQuorumQueueDeadLetteringToTheDlq() {
		assertThat(Topology.registroQueueArguments()).containsEntry("x-queue-type", "quorum")
			.containsEntry("x-dead-letter-exchange", "")
			.containsEntry("x-dead-letter-routing-key", "registro.dlq")
			.containsEntry("x-delivery-limit", Topology.DELIVERY_LIMIT);
		assertThat(Topology.declarables().getDeclarablesByType(Queue.class))
			.allSatisfy(queue -> {
				assertThat(queue.isDurable()).isTrue();
				assertThat(queue.isAutoDelete()).isFalse();
				assertThat(queue.isExclusive()).isFalse();
				assertThat(queue.getArguments()).containsEntry("x-queue-type", "quorum");
			})
			.extracting(Queue::getName)
			.containsExactlyInAnyOrder("registro", "registro.dlq", "logger");
	}

	@Test
	void theLoggerQueueTakesEveryEventOfTheDurableLogsFanout() {
		assertThat(Topology.declarables().getDeclarablesByType(Exchange.class)).singleElement()
			.satisfies(exchange -> {
				assertThat(exchange.getName()).isEqualTo("logs");
				assertThat(exchange.getType()).isEqualTo("fanout");
				assertThat(exchange.isDurable()).isTrue();
			});
		assertThat(Topology.declarables().getDeclarablesByType(Binding.class)).singleElement()
			.satisfies(binding -> {
				assertThat(binding.getExchange()).isEqualTo("logs");
				assertThat(binding.getDestination()).isEqualTo("logger");
			});
	}

}
