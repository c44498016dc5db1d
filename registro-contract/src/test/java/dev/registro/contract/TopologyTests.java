package dev.registro.contract;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyTests {

	@Test
	void everyQueueIsADurableQuorumQueueWithADeliveryLimit() {
		assertThat(Topology.declarables().getDeclarablesByType(Queue.class)).allSatisfy(queue -> {
			assertThat(queue.isDurable()).isTrue();
			assertThat(queue.isAutoDelete()).isFalse();
			assertThat(queue.isExclusive()).isFalse();
			assertThat(queue.getArguments()).containsEntry("x-queue-type", "quorum").containsKey("x-delivery-limit");
		}).extracting(Queue::getName).containsExactlyInAnyOrder("registro", "registro.dlq", "logger", "logger.dlq");
	}

	@Test
	void aMessageThatKeepsFailingInAWorkQueueGoesToItsDeadLetterQueueAndIsNeverDropped() {
		assertThat(queue("registro").getArguments()).isEqualTo(Topology.registroQueueArguments());
		assertThat(Topology.registroQueueArguments()).containsEntry("x-dead-letter-exchange", "")
			.containsEntry("x-dead-letter-routing-key", "registro.dlq")
			.containsEntry("x-delivery-limit", Topology.DELIVERY_LIMIT)
			.containsEntry("x-dead-letter-strategy", "at-least-once")
			.containsEntry("x-overflow", "reject-publish");
		assertThat(queue("logger").getArguments()).doesNotContainKey("x-single-active-consumer");
		assertThat(queue("logger").getArguments()).containsEntry("x-dead-letter-exchange", "")
			.containsEntry("x-dead-letter-routing-key", "logger.dlq")
			.containsEntry("x-delivery-limit", Topology.DELIVERY_LIMIT)
			.containsEntry("x-dead-letter-strategy", "at-least-once")
			.containsEntry("x-overflow", "reject-publish");
	}

	@Test
	void oneConsumerOfRegistroCountsAtATimeAndALostNodesConsumerHandsOverWithinSeconds() {
		assertThat(Topology.registroQueueArguments()).containsEntry("x-single-active-consumer", true)
			.containsEntry("x-consumer-disconnected-timeout", 5000);
	}

	@Test
	void reportesChangelogIsAStreamWhoseRetentionDropsSmallSegments() {
		Queue changelog = Topology.reporteChangelog().getDeclarablesByType(Queue.class).get(0);

		assertThat(changelog.getName()).isEqualTo("reporte.changelog");
		assertThat(changelog.isDurable()).isTrue();
		assertThat(changelog.getArguments()).containsEntry("x-queue-type", "stream")
			.containsEntry("x-max-length-bytes", 256 * 1024 * 1024)
			.containsEntry("x-stream-max-segment-size-bytes", 8 * 1024 * 1024);
		assertThat(Topology.declarables().getDeclarablesByType(Queue.class)).extracting(Queue::getName)
			.doesNotContain("reporte.changelog");
	}

	@Test
	void deadLetterQueuesHaveADeliveryLimitNoReaderReachesAndKeepTheNewestOfAFlood() {
		for (String name : new String[] { "registro.dlq", "logger.dlq" }) {
			assertThat(queue(name).getArguments()).as(name)
				.containsEntry("x-delivery-limit", Topology.DLQ_DELIVERY_LIMIT)
				.containsEntry("x-max-length", 10_000L)
				.containsEntry("x-max-length-bytes", 64 * 1024 * 1024)
				.containsEntry("x-overflow", "drop-head")
				.doesNotContainKey("x-dead-letter-exchange");
		}
		assertThat(Topology.DLQ_DELIVERY_LIMIT).isGreaterThan(10_000);
	}

	@Test
	void anotherLoggersQueueIsDeclaredLikeTheCentralOneAndBoundToTheSameFanout() {
		Queue second = Topology.loggerQueue("logger.2").getDeclarablesByType(Queue.class).get(0);

		assertThat(second.getName()).isEqualTo("logger.2");
		assertThat(second.isDurable()).isTrue();
		assertThat(second.getArguments()).isEqualTo(queue("logger").getArguments());
		assertThat(Topology.loggerQueue("logger.2").getDeclarablesByType(Binding.class)).singleElement()
			.satisfies(binding -> {
				assertThat(binding.getExchange()).isEqualTo("logs");
				assertThat(binding.getDestination()).isEqualTo("logger.2");
			});
	}

	@Test
	void theLoggerQueueTakesEveryEventOfTheDurableLogsFanout() {
		assertThat(Topology.declarables().getDeclarablesByType(Exchange.class)).singleElement().satisfies(exchange -> {
			assertThat(exchange.getName()).isEqualTo("logs");
			assertThat(exchange.getType()).isEqualTo("fanout");
			assertThat(exchange.isDurable()).isTrue();
		});
		assertThat(Topology.declarables().getDeclarablesByType(Binding.class)).singleElement().satisfies(binding -> {
			assertThat(binding.getExchange()).isEqualTo("logs");
			assertThat(binding.getDestination()).isEqualTo("logger");
		});
	}

	private static Queue queue(String name) {
		return Topology.declarables()
			.getDeclarablesByType(Queue.class)
			.stream()
			.filter(queue -> queue.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
