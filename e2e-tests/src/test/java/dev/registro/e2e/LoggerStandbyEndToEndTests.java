package dev.registro.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code LOCAL_STACK_REPLICAS=2}, a second logger keeps a history of its own from a
 * queue of its own: while the first is killed, the gateway's {@code /logs} answers from
 * the second, with every event; the first, started again, catches up on what came
 * meanwhile.
 */
class LoggerStandbyEndToEndTests {

	private final LocalStack stack = LocalStack.get();

	@Test
	void theHistoryIsServedWhileTheFirstLoggerIsDownAndBothKeepEveryEvent() throws Exception {
		this.stack.start();
		this.stack.startGateway(Map.of("LOCAL_STACK_REPLICAS", "2", "GATEWAY_ADMIN_RATE", "1000"));
		try {
			List<String> before = register(10);
			for (String part : List.of("logger", LocalStack.STANDBY_LOGGER)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> countsIn(part).keySet().containsAll(before));
			}

			this.stack.kill("logger");
			List<String> meanwhile = register(5);
			List<String> all = new ArrayList<>(before);
			all.addAll(meanwhile);
			Map<String, Integer> served = await().atMost(Duration.ofSeconds(30))
				.until(() -> counts(this.stack.getAsAdmin("/logs?format=json&service=app3&limit=1000").body()),
						ids -> ids.keySet().containsAll(all));
			assertThat(all).allSatisfy(id -> assertThat(served.get(id)).as(id).isEqualTo(1));

			this.stack.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> countsIn("logger").keySet().containsAll(meanwhile));
			assertThat(all).allSatisfy(id -> assertThat(countsIn("logger").get(id)).as(id).isEqualTo(1));
		}
		finally {
			this.stack.stop(LocalStack.STANDBY_LOGGER);
			this.stack.startGateway();
			// Bound to the fanout with nobody reading it, it would keep a copy of every
			// later test's events.
			try (Connection connection = TestBroker.get().connectionFactory().newConnection();
					Channel channel = connection.createChannel()) {
				channel.queueDelete("logger.2");
			}
		}
	}

	/** Registers on app3 through the gateway; the message ids of the answers. */
	private List<String> register(int times) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			String body = this.stack.get("/cliente/tres").body();
			ids.add(JsonPath.read(body, "$.registered.message_id"));
		}
		return ids;
	}

	private Map<String, Integer> countsIn(String part) throws Exception {
		return counts(this.stack.getAsAdminFrom(part, "/logs?format=json&service=app3&limit=1000").body());
	}

	/** How often each message id occurs among the "confirmed" events of a /logs page. */
	private static Map<String, Integer> counts(String json) {
		Map<String, Integer> counts = new HashMap<>();
		List<String> ids = JsonPath.read(json, "$.events[?(@.message =~ /registration confirmed.*/)].message_id");
		ids.forEach(id -> counts.merge(id, 1, Integer::sum));
		return counts;
	}

}
