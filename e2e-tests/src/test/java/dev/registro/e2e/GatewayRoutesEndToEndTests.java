package dev.registro.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of docs/design.md through the gateway: who may, what answers, in which
 * type.
 */
class GatewayRoutesEndToEndTests {

	private final LocalStack stack = LocalStack.get();

	@ParameterizedTest
	@CsvSource({ "/cliente/uno,app1", "/cliente/uno/,app1", "/cliente/dos,app2", "/cliente/dos/,app2",
			"/cliente/tres,app3", "/cliente/tres/,app3" })
	void everyClientRouteRegistersForAnyoneOnGetAndPost(String path, String serviceId) throws Exception {
		for (HttpRequest request : new HttpRequest[] { HttpRequest.newBuilder(this.stack.uri(path)).GET().build(),
				HttpRequest.newBuilder(this.stack.uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build() }) {
			HttpResponse<String> response = this.stack.send(request);

			assertThat(response.statusCode()).as(request.method() + " " + path + ": " + response.body()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
			assertThat(response.body()).contains("\"service\":\"" + serviceId + "\"", "\"status\":\"message_sent\"",
					"\"queue\":\"registro\"", "\"message_id\":\"");
		}
	}

	@ParameterizedTest
	@CsvSource({ "/reporte,text/plain", "/reportes,application/json", "/reportes/resumen,application/json",
			"/logs,text/html", "/logs?format=json,application/json", "/logs?format=text,text/plain", "/panel,text/html",
			"/panel/,text/html", "/panel/api/state,application/json", "/panel/panel.css,text/css",
			"/panel/panel.js,javascript", "/panel/webjars/chart.js/dist/chart.umd.js,javascript" })
	void adminRoutesChallengeStrangersAndServeTheAdmin(String path, String type) throws Exception {
		HttpResponse<String> anonymous = this.stack.get(path);
		HttpResponse<String> wrong = this.stack.send(HttpRequest.newBuilder(this.stack.uri(path))
			.header("Authorization", LocalStack.basic(LocalStack.ADMIN, "not-the-password"))
			.build());
		HttpResponse<String> admin = this.stack.getAsAdmin(path);

		for (HttpResponse<String> refused : new HttpResponse[] { anonymous, wrong }) {
			assertThat(refused.statusCode()).as(path).isEqualTo(401);
			assertThat(refused.headers().allValues("X-Content-Type-Options")).as(path).containsExactly("nosniff");
			assertThat(refused.headers().allValues("X-Frame-Options")).as(path).containsExactly("DENY");
			assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"registro\"");
			assertThat(refused.body()).doesNotContain("Exception");
		}
		assertThat(admin.statusCode()).as(path).isEqualTo(200);
		assertThat(admin.headers().firstValue("Content-Type"))
			.hasValueSatisfying(value -> assertThat(value).contains(type));
	}

	@Test
	void servesEveryRouteThePanelListsAndEveryClientRouteOfTheTests() throws Exception {
		String state = this.stack.getAsAdmin("/panel/api/state").body();
		List<String> listed = new ArrayList<>();
		for (String paths : JsonPath.<List<String>>read(state, "$.routes[*].path")) {
			listed.addAll(List.of(paths.split(",\\s*")));
		}
		listed.addAll(LocalStack.CLIENT_ROUTES.values());

		assertThat(listed).contains("/reporte", "/logs", "/panel", "/healthz");
		for (String path : listed) {
			HttpResponse<String> response = this.stack.getAsAdmin(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
		}
	}

	@Test
	void answersItsOwnHealth() throws Exception {
		HttpResponse<String> response = this.stack.get("/healthz");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/nope", "/cliente/cuatro", "/cliente/uno/extra", "/reportesx", "/actuator/health",
			"/logs/../reporte%00", "/" })
	void answersAnyOtherPathWithAJson404(String path) throws Exception {
		HttpResponse<String> response = this.stack.get(path);

		assertThat(response.statusCode()).as(path).isIn(400, 404);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).contains("json"));
	}

	@Test
	void passesTheServicesOwnJson405On() throws Exception {
		HttpResponse<String> reporte = this.stack.send(HttpRequest.newBuilder(this.stack.uri("/reporte"))
			.header("Authorization", LocalStack.basic(LocalStack.ADMIN, LocalStack.PASSWORD))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		HttpResponse<String> cliente = this.stack
			.send(HttpRequest.newBuilder(this.stack.uri("/cliente/uno")).DELETE().build());

		for (HttpResponse<String> response : new HttpResponse[] { reporte, cliente }) {
			assertThat(response.statusCode()).isEqualTo(405);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).contains("json"));
		}
		// The path called, not the path the gateway passes on.
		assertThat(reporte.body()).contains("\"instance\":\"/reporte\"");
		assertThat(cliente.body()).contains("\"instance\":\"/cliente/uno");
	}

	@Test
	void refusesAnOversizedBodyWithAJson413() throws Exception {
		HttpResponse<String> response = this.stack.send(HttpRequest.newBuilder(this.stack.uri("/cliente/uno"))
			.POST(HttpRequest.BodyPublishers.ofString("x".repeat(64 * 1024)))
			.build());

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).startsWith("{\"status\":413");
	}

	@Test
	void answersRequestsItCannotTakeWithJsonNotItsHtmlPages() throws Exception {
		HttpResponse<String> longUri = this.stack.get("/" + "a".repeat(20_000));
		HttpResponse<String> bigHeader = this.stack
			.send(HttpRequest.newBuilder(this.stack.uri("/healthz")).header("X-Big", "b".repeat(20_000)).build());

		assertThat(longUri.statusCode()).isEqualTo(414);
		assertThat(longUri.body()).isEqualTo("{\"status\":414,\"error\":\"URI Too Long\"}");
		assertThat(bigHeader.statusCode()).isEqualTo(400);
		assertThat(bigHeader.body()).contains("request headers too large");
	}

	@Test
	void servesThePanelWithLinksUnderItsPrefixAndSecurityHeaders() throws Exception {
		HttpResponse<String> response = this.stack.getAsAdmin("/panel");

		assertThat(response.body()).contains("data-state-url=\"/panel/api/state\"", "src=\"/panel/panel.js\"",
				"href=\"/panel/panel.css\"");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(response.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
	}

}
