package dev.registro.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jars, run as a person runs them, through the real RabbitMQ: registrations
 * made over HTTP on a client are counted by the report service and kept by the central
 * logger.
 */
class RegistrationFlowSystemTests {

	private final RunningSystem system = RunningSystem.get();

	@Test
	void everyRegistrationAnswered200IsCountedByTheReportService() throws Exception {
		long before = count();
		int registrations = 25;
		for (int i = 0; i < registrations; i++) {
			register(i % 2 == 0);
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> count() == before + registrations);
		assertThat(this.system.admin(this.system.reporte().uri("/reporte")))
			.contains("'" + this.system.serviceId + "': " + (before + registrations));
	}

	@Test
	void everyRegistrationAppearsInTheCentralHistoryInOrderWithItsMessageId() throws Exception {
		List<String> messageIds = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			messageIds.add(register(true));
		}

		List<String> logged = await().atMost(Duration.ofSeconds(30))
			.until(this::loggedMessageIds, ids -> ids.containsAll(messageIds));

		List<String> newestFirst = new ArrayList<>(messageIds);
		Collections.reverse(newestFirst);
		assertThat(logged.stream().filter(messageIds::contains).toList()).containsExactlyElementsOf(newestFirst);
		String text = this.system
			.admin(this.system.logger().uri("/logs?format=text&service=" + this.system.serviceId + "&limit=1"));
		assertThat(text).startsWith("[")
			.contains("] - Servicio: " + this.system.serviceId + " - Mensaje: registration confirmed");
	}

	@Test
	void restartingTheLoggerKeepsItsHistoryAndCatchesUpOnWhatCameMeanwhile() throws Exception {
		String beforeRestart = register(true);
		await().atMost(Duration.ofSeconds(30)).until(() -> loggedMessageIds().contains(beforeRestart));

		this.system.stopLogger();
		String whileDown = register(true);
		this.system.startLoggerAgain();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> loggedMessageIds().containsAll(List.of(beforeRestart, whileDown)));
	}

	@Test
	void reporteKeepsEveryCountThroughAKillDashNineAndCountsWhatCameMeanwhile() throws Exception {
		long before = count();
		for (int i = 0; i < 20; i++) {
			register(true);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> count() == before + 20);

		this.system.stopReporte();
		for (int i = 0; i < 5; i++) {
			register(false);
		}
		this.system.startReporteAgain();
		await().atMost(Duration.ofSeconds(30)).until(() -> count() == before + 25);

		for (int i = 0; i < 10; i++) {
			register(true);
		}
		this.system.killAndRestartReporte();

		await().atMost(Duration.ofSeconds(30)).until(() -> count() >= before + 35);
		assertThat(count()).as("nothing confirmed is lost, nothing is counted twice").isEqualTo(before + 35);
	}

	@Test
	void theAdminRoutesRefuseAnonymousReaders() throws Exception {
		for (URI uri : List.of(this.system.reporte().uri("/reportes"), this.system.logger().uri("/logs"),
				this.system.logger().uri("/logs?format=json"))) {
			HttpResponse<String> response = this.system.send(HttpRequest.newBuilder(uri).build());

			assertThat(response.statusCode()).as(uri.toString()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"registro\"");
		}
	}

	/** Registers once on the client; returns the message id of the 200 answer. */
	private String register(boolean get) throws Exception {
		URI uri = this.system.cliente.uri("/");
		HttpRequest request = get ? HttpRequest.newBuilder(uri).GET().build()
				: HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build();
		HttpResponse<String> response = this.system.send(request);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"service\":\"" + this.system.serviceId + "\"",
				"\"status\":\"message_sent\"");
		return JsonPath.read(response.body(), "$.registered.message_id");
	}

	private long count() throws Exception {
		Map<String, Number> counts = JsonPath.read(this.system.admin(this.system.reporte().uri("/reportes")), "$");
		return counts.getOrDefault(this.system.serviceId, 0).longValue();
	}

	private List<String> loggedMessageIds() throws Exception {
		String json = this.system
			.admin(this.system.logger().uri("/logs?format=json&limit=1000&service=" + this.system.serviceId));
		return JsonPath.read(json, "$.events[*].message_id");
	}

}
