package dev.registro.support.topology;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.contract.Topology;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The broker registro ships (compose, scripts/rabbitmq4.sh: rabbitmq/registro.conf) takes
 * no body larger than what its consumers size their prefetch by. Needs that
 * configuration: a broker of one's own without it fails this test.
 */
class BrokerBoundsIntegrationTests {

	@Test
	void takesABodyAtTheBoundAndRefusesOneByteMore() throws Exception {
		try (Connection connection = TestBroker.get().connectionFactory().newConnection()) {
			Channel accepted = connection.createChannel();
			String queue = accepted.queueDeclare().getQueue();
			accepted.confirmSelect();
			accepted.basicPublish("", queue, null, new byte[Topology.MAX_MESSAGE_BYTES]);
			accepted.waitForConfirmsOrDie(10_000);
			assertThat(accepted.messageCount(queue)).isEqualTo(1);

			Channel refused = connection.createChannel();
			refused.confirmSelect();
			assertThatException().isThrownBy(() -> {
				refused.basicPublish("", queue, null, new byte[Topology.MAX_MESSAGE_BYTES + 1]);
				refused.waitForConfirmsOrDie(10_000);
			}).withStackTraceContaining("is larger than configured max size " + Topology.MAX_MESSAGE_BYTES);
			assertThat(connection.isOpen()).isTrue();
			accepted.queueDelete(queue);
		}
	}

}
