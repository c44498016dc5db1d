package dev.registro.system;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jars, run as a person runs them: registrations made over HTTP on a client are
 * counted by the report service, through the real RabbitMQ.
 */
class RegistrationFlowSystemTests {

	private static final String SERVICE_ID = "sys-" + UUID.randomUUID().toString().substring(0, 8);

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ServiceProcess reporte;

	private static ServiceProcess cliente;

	@BeforeAll
	static void startServices() throws Exception {
		reporte = ServiceProcess.start("reporte-service", "reporte", Map.of());
		cliente = ServiceProcess.start("cliente-service", "cliente-" + SERVICE_ID, Map.of("SERVICE_ID", SERVICE_ID));
	}

	@AfterAll
	static void stopServices() {
		if (cliente != null) {
			cliente.close();
		}
		if (reporte != null) {
			reporte.close();
		}
	}

	@Test
	void everyRegistrationAnswered200IsCountedByTheReportService() throws Exception {
		int registrations = 25;
		for (int i = 0; i < registrations; i++) {
			HttpRequest request = (i % 2 == 0) ? HttpRequest.newBuilder(cliente.uri("/")).GET().build()
					: HttpRequest.newBuilder(cliente.uri("/")).POST(HttpRequest.BodyPublishers.noBody()).build();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).contains("\"service\":\"" + SERVICE_ID + "\"", "\"status\":\"message_sent\"");
		}

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(admin("/reportes")).contains("\"" + SERVICE_ID + "\":" + registrations));
		assertThat(admin("/reporte")).contains("'" + SERVICE_ID + "': " + registrations);
	}

	@Test
	void theReportServiceRefusesAnonymousReaders() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(reporte.uri("/reportes")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"registro\"");
	}

	private static String admin(String path) throws Exception {
		String basic = Base64.getEncoder().encodeToString("admin:123".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(reporte.uri(path)).header("Authorization", "Basic " + basic).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
