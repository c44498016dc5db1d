package dev.registro.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.contract.Topology;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code LOCAL_STACK_REPLICAS=2}, a second reporte shares the counts through the
 * changelog stream and a second logger keeps a history of its own from a queue of its
 * own. The counting reporte and the first logger are killed: the gateway's
 * {@code /reportes} answers 200 every time, from the other reporte, which takes over and
 * counts every registration once; {@code /logs} answers from the second logger, with
 * every event; the first logger, started again, catches up on what came meanwhile.
 */
class StandbyEndToEndTests {

	private final LocalStack stack = LocalStack.get();

	@Test
	void reportsAndTheHistoryAreServedWhileTheCountingReporteAndTheFirstLoggerAreDown() throws Exception {
		this.stack.start();
		// The first reporte moves from its state file to the changelog stream with the
		// second.
		this.stack.stop("gateway", "reporte");
		this.stack.startGateway(Map.of("LOCAL_STACK_REPLICAS", "2", "GATEWAY_ADMIN_RATE", "1000"));
		try {
			long countedBefore = counted();
			List<String> before = register(10);
			for (String part : List.of("logger", LocalStack.STANDBY_LOGGER)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> countsIn(part).keySet().containsAll(before));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> counted() == countedBefore + 10);

			// The one RabbitMQ made the single active consumer of registro.
			String counting = (this.stack.meter("reporte", "registro_consumed_total") > 0) ? "reporte"
					: LocalStack.SECOND_REPORTE;
			this.stack.kill(counting);
			this.stack.kill("logger");
			List<String> meanwhile = new ArrayList<>();
			List<Integer> reportsAnswered = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				meanwhile.addAll(register(1));
				reportsAnswered.add(this.stack.getAsAdmin("/reportes").statusCode());
			}
			List<String> all = new ArrayList<>(before);
			all.addAll(meanwhile);
			assertThat(reportsAnswered).as("/reportes through the gateway, reporte killed").containsOnly(200);
			await().atMost(Duration.ofSeconds(30)).until(() -> counted() == countedBefore + 15);
			Map<String, Integer> served = await().atMost(Duration.ofSeconds(30))
				.until(() -> counts(this.stack.getAsAdmin("/logs?format=json&service=app3&limit=1000").body()),
						ids -> ids.keySet().containsAll(all));
			assertThat(all).allSatisfy(id -> assertThat(served.get(id)).as(id).isEqualTo(1));

			this.stack.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> countsIn("logger").keySet().containsAll(meanwhile));
			assertThat(all).allSatisfy(id -> assertThat(countsIn("logger").get(id)).as(id).isEqualTo(1));
			for (String part : List.of("reporte", LocalStack.SECOND_REPORTE)) {
				assertThat(countedBy(part)).as(part).isEqualTo(countedBefore + 15);
			}
		}
		finally {
			this.stack.stop("gateway", LocalStack.SECOND_REPORTE, LocalStack.STANDBY_LOGGER, "reporte");
			this.stack.start();
			// Bound to the fanout with nobody reading it, logger.2 would keep a copy of
			// every
			// later test's events; the changelog would hold counts nobody keeps up.
			try (Connection connection = TestBroker.get().connectionFactory().newConnection();
					Channel channel = connection.createChannel()) {
				channel.queueDelete("logger.2");
				channel.queueDelete(Topology.REPORTE_CHANGELOG);
			}
		}
	}

	/** app3's count, through the gateway. */
	private long counted() throws Exception {
		return count(this.stack.getAsAdmin("/reportes").body());
	}

	private long countedBy(String part) throws Exception {
		return count(this.stack.getAsAdminFrom(part, "/reportes").body());
	}

	private static long count(String json) {
		Map<String, Number> counts = JsonPath.read(json, "$");
		return counts.getOrDefault("app3", 0).longValue();
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
