package dev.registro.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With reporte stopped, the gateway says so and the clients keep accepting; nothing
 * confirmed is lost.
 */
class ReporteOutageEndToEndTests {

	private final LocalStack stack = LocalStack.get();

	@Test
	void clientsKeepAcceptingWhileReporteIsDownAndItCountsEverythingWhenBack() throws Exception {
		long before = count("app1");

		this.stack.stop("reporte");
		HttpResponse<String> down = this.stack.getAsAdmin("/reporte");
		assertThat(down.statusCode()).isEqualTo(502);
		assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(down.body()).contains("\"part\":\"reporte\"");
		for (int i = 0; i < 10; i++) {
			assertThat(this.stack.get("/cliente/uno").statusCode()).isEqualTo(200);
		}
		this.stack.start();

		await().atMost(Duration.ofSeconds(60)).until(() -> count("app1") == before + 10);
	}

	private long count(String service) throws Exception {
		Map<String, Number> counts = JsonPath.read(this.stack.getAsAdmin("/reportes").body(), "$");
		return counts.getOrDefault(service, 0).longValue();
	}

}
