package dev.registro.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrent registrations through the gateway are exactly the counts, and all in the
 * history.
 */
class ExactCountsEndToEndTests {

	private static final int PER_CLIENT = 40;

	private final LocalStack stack = LocalStack.get();

	@Test
	void everyConcurrentRegistrationIsCountedExactlyOnceAndLogged() throws Exception {
		Map<String, Long> before = counts();
		List<Future<String[]>> sent = new ArrayList<>();
		ExecutorService senders = Executors.newFixedThreadPool(12);
		try {
			for (int i = 0; i < PER_CLIENT; i++) {
				for (Map.Entry<String, String> route : LocalStack.CLIENT_ROUTES.entrySet()) {
					sent.add(senders.submit(() -> register(route.getKey(), route.getValue())));
				}
			}
			Map<String, List<String>> messageIds = new HashMap<>();
			LocalStack.CLIENT_ROUTES.keySet().forEach(service -> messageIds.put(service, new ArrayList<>()));
			for (Future<String[]> registration : sent) {
				String[] serviceAndId = registration.get();
				messageIds.get(serviceAndId[0]).add(serviceAndId[1]);
			}

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				Map<String, Long> after = counts();
				for (String service : LocalStack.CLIENT_ROUTES.keySet()) {
					assertThat(after.get(service)).as(service).isEqualTo(before.getOrDefault(service, 0L) + PER_CLIENT);
				}
			});
			String text = this.stack.getAsAdmin("/reporte").body();
			Map<String, Long> after = counts();
			for (String service : LocalStack.CLIENT_ROUTES.keySet()) {
				assertThat(text).contains("'" + service + "': " + after.get(service));
				await().atMost(Duration.ofSeconds(60))
					.until(() -> logged(service).containsAll(messageIds.get(service)));
			}
		}
		finally {
			senders.shutdownNow();
		}
	}

	private String[] register(String serviceId, String route) throws Exception {
		HttpResponse<String> response = this.stack.send(HttpRequest.newBuilder(this.stack.uri(route)).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return new String[] { serviceId, JsonPath.read(response.body(), "$.registered.message_id") };
	}

	private Map<String, Long> counts() throws Exception {
		Map<String, Number> counts = JsonPath.read(this.stack.getAsAdmin("/reportes").body(), "$");
		Map<String, Long> longs = new java.util.HashMap<>();
		counts.forEach((service, count) -> longs.put(service, count.longValue()));
		return longs;
	}

	private List<String> logged(String service) throws Exception {
		return JsonPath.read(this.stack.getAsAdmin("/logs?format=json&limit=1000&service=" + service).body(),
				"$.events[*].message_id");
	}

}
