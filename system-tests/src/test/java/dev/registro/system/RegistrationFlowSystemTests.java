package dev.registro.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jars, run as a person runs them, through the real RabbitMQ: registrations made
 * over HTTP on a client are counted by the report service and kept by the central logger.
 */
class RegistrationFlowSystemTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ServiceProcess reporte;

	private static ServiceProcess logger;

	private static ServiceProcess cliente;

	private static String serviceId;

	@BeforeAll
	static void startServices() throws Exception {
		serviceId = "sys-" + UUID.randomUUID().toString().substring(0, 8);
		Path history = Files.createTempDirectory("system-tests-logger");
		reporte = ServiceProcess.start("reporte-service", "reporte", Map.of());
		logger = ServiceProcess.start("logger-service", "logger", Map.of("REGISTRO_LOGGER_DIRECTORY", history.toString()));
		cliente = ServiceProcess.start("cliente-service", "cliente-" + serviceId, Map.of("SERVICE_ID", serviceId));
	}

	@AfterAll
	static void stopServices() {
		for (ServiceProcess service : new ServiceProcess[] { cliente, logger, reporte }) {
			if (service != null) {
				service.close();
			}
		}
	}

	@Test
	void everyRegistrationAnswered200IsCountedByTheReportService() throws Exception {
		long before = count();
		int registrations = 25;
		for (int i = 0; i < registrations; i++) {
			register(i % 2 == 0);
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> count() == before + registrations);
		assertThat(admin(reporte.uri("/reporte"))).contains("'" + serviceId + "': " + (before + registrations));
	}

	@Test
	void everyRegistrationAppearsInTheCentralHistoryInOrderWithItsMessageId() throws Exception {
		List<String> messageIds = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			messageIds.add(register(true));
		}

		List<String> logged = await().atMost(Duration.ofSeconds(30))
			.until(() -> loggedMessageIds(), ids -> ids.containsAll(messageIds));

		List<String> newestFirst = new ArrayList<>(messageIds);
		java.util.Collections.reverse(newestFirst);
		assertThat(logged.stream().filter(messageIds::contains).toList()).containsExactlyElementsOf(newestFirst);
		String text = admin(logger.uri("/logs?format=text&service=" + serviceId + "&limit=1"));
		assertThat(text).startsWith("[").contains("] - Servicio: " + serviceId + " - Mensaje: registration confirmed");
	}

	@Test
	void restartingTheLoggerKeepsItsHistoryAndCatchesUpOnWhatCameMeanwhile() throws Exception {
		String beforeRestart = register(true);
		await().atMost(Duration.ofSeconds(30)).until(() -> loggedMessageIds().contains(beforeRestart));

		logger.close();
		String whileDown = register(true);
		logger = logger.restart();

		await().atMost(Duration.ofSeconds(30)).until(() -> loggedMessageIds().containsAll(List.of(beforeRestart, whileDown)));
	}

	@Test
	void theAdminRoutesRefuseAnonymousReaders() throws Exception {
		for (URI uri : List.of(reporte.uri("/reportes"), logger.uri("/logs"), logger.uri("/logs?format=json"))) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
					HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).as(uri.toString()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"registro\"");
		}
	}

	/** Registers once on the client; returns the message id of the 200 answer. */
	private static String register(boolean get) throws Exception {
		HttpRequest request = get ? HttpRequest.newBuilder(cliente.uri("/")).GET().build()
				: HttpRequest.newBuilder(cliente.uri("/")).POST(HttpRequest.BodyPublishers.noBody()).build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"service\":\"" + serviceId + "\"", "\"status\":\"message_sent\"");
		return JsonPath.read(response.body(), "$.registered.message_id");
	}

	private static long count() throws Exception {
		Map<String, Number> counts = JsonPath.read(admin(reporte.uri("/reportes")), "$");
		return counts.getOrDefault(serviceId, 0).longValue();
	}

	private static List<String> loggedMessageIds() throws Exception {
		String json = admin(logger.uri("/logs?format=json&limit=1000&service=" + serviceId));
		return JsonPath.read(json, "$.events[*].message_id");
	}

	private static String admin(URI uri) throws Exception {
		String basic = Base64.getEncoder().encodeToString("admin:123".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
		return response.body();
	}

}
