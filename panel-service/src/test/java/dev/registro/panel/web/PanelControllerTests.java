package dev.registro.panel.web;

import java.time.Instant;
import java.util.List;

import dev.registro.panel.dashboard.ClientAnswer;
import dev.registro.panel.dashboard.Dashboard;
import dev.registro.panel.dashboard.GatewayRoutes;
import dev.registro.panel.dashboard.PanelState;
import dev.registro.panel.dashboard.PanelState.Counts;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.LogTail;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.panel.dashboard.PanelState.Queues;
import dev.registro.panel.dashboard.PanelState.RatePoint;
import dev.registro.panel.dashboard.PanelState.ServiceCount;
import dev.registro.support.security.AdminSecurity;
import dev.registro.support.web.BehindTheGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(PanelController.class)
@Import({ AdminSecurity.class, BehindTheGateway.class })
class PanelControllerTests {

	private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

	private static final List<String> CLIENTS = List.of("app1", "app2", "app3");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private Dashboard dashboard;

	@ParameterizedTest
	@ValueSource(strings = { "/", "/api/state" })
	void letsOnlyTheAdminIn(String path) throws Exception {
		this.mvc.perform(get(path))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Basic realm=\"registro\""));
		this.mvc.perform(get(path).with(httpBasic("admin", "nope"))).andExpect(status().isUnauthorized());
	}

	@Test
	void letsOnlyTheAdminRegisterFromThePanel() throws Exception {
		this.mvc.perform(post("/api/register/app1")).andExpect(status().isUnauthorized());
	}

	@Test
	void paintsTheFirstPageWithRealData() throws Exception {
		given(this.dashboard.state(null)).willReturn(everythingUp());

		this.mvc.perform(get("/").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andExpect(content().string(allOf(containsString(">app1</td>"), containsString(">52</td>"),
					containsString("id=\"total\">60<"), containsString("2026-11-29 12:00:01"),
					containsString("registration confirmed by the broker"), containsString("Register app3"),
					containsString("/cliente/uno"), containsString("chart.umd.js"), not(containsString("Loading")),
					not(containsString("loading")), not(containsString("stale-note shown")))))
			// The painted rows carry the cells the page's script fills in later.
			.andExpect(content().string(allOf(containsString("<td class=\"num\" data-field=\"count\">52</td>"),
					containsString("<td class=\"id\" data-field=\"messageId\">m-8</td>"),
					containsString("<span class=\"status\" data-field=\"status\">UP</span>"))));
	}

	@Test
	void keepsShowingTheRestWithTheLastKnownCountsWhenReporteIsDown() throws Exception {
		PanelState up = everythingUp();
		PanelState reporteDown = new PanelState(NOW, 2000,
				new Counts(up.counts().services(), 60, 3, NOW.minusSeconds(30), true), up.rates(), up.log(),
				List.of(new PartHealth("reporte", "UNREACHABLE", "health.unreachable", List.of("Connection refused"),
						NOW), new PartHealth("logger", "UP", "health.ready", List.of(), NOW)),
				up.queues(), up.routes(), CLIENTS);
		given(this.dashboard.state(null)).willReturn(reporteDown);

		this.mvc.perform(get("/").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("class=\"stale-note shown\" data-stale=\"counts\""),
					containsString("last known values"), containsString(">52</td>"), containsString("UNREACHABLE"),
					containsString("no answer: Connection refused"),
					containsString("registration confirmed by the broker"))));
	}

	@Test
	void speaksSpanishToABrowserThatAsksForIt() throws Exception {
		given(this.dashboard.state(null)).willReturn(everythingUp());

		this.mvc.perform(get("/").header("Accept-Language", "es-ES,es;q=0.9,en;q=0.5").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("lang=\"es\""), containsString("Registros por servicio"),
					containsString("Registrar app3"), containsString("Log central"), containsString("listo"),
					containsString("las cifras en JSON"), containsString("data-word-live-at=\"en vivo · {0}\""),
					not(containsString("Count per service")))));
		this.mvc.perform(get("/api/state").header("Accept-Language", "es").with(httpBasic("admin", "123")))
			.andExpect(jsonPath("$.parts[3].detail").value("registro 0 en espera, registro.dlq 3"));
	}

	@Test
	void speaksEnglishToEveryoneElse() throws Exception {
		given(this.dashboard.state(null)).willReturn(everythingUp());

		this.mvc.perform(get("/").header("Accept-Language", "de").with(httpBasic("admin", "123")))
			.andExpect(content().string(allOf(containsString("lang=\"en\""), containsString("Count per service"),
					containsString("data-word-live-at=\"live · {0}\""))));
		this.mvc.perform(get("/api/state").with(httpBasic("admin", "123")))
			.andExpect(jsonPath("$.parts[3].detail").value("registro 0 waiting, registro.dlq 3"));
	}

	@Test
	void answersAReadablePageEvenWhenNothingAnswers() throws Exception {
		PanelState nothing = new PanelState(NOW, 2000, new Counts(List.of(), 0, 0, null, true), List.of(),
				new LogTail(null, List.of(), null, true),
				List.of(new PartHealth("app1", "UNREACHABLE", "health.unreachable", List.of("Connection refused"), NOW),
						new PartHealth("reporte", "UNREACHABLE", "health.unreachable", List.of("Connection refused"),
								NOW),
						new PartHealth("logger", "UNREACHABLE", "health.unreachable", List.of("Connection refused"),
								NOW),
						new PartHealth("broker", "UNREACHABLE", "health.broker-unreachable", List.of(), NOW)),
				new Queues(null, null, null, true), everythingUp().routes(), CLIENTS);
		given(this.dashboard.state(null)).willReturn(nothing);

		this.mvc.perform(get("/").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("reporte has not answered yet"),
					containsString("No events."), containsString("the broker is not answering"),
					containsString("logger is not answering"), not(containsString("Exception")))));
	}

	@Test
	void servesTheStateToItsScriptAsJson() throws Exception {
		given(this.dashboard.state("app2")).willReturn(everythingUp());

		this.mvc.perform(get("/api/state").param("service", "app2").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.counts.total").value(60))
			.andExpect(jsonPath("$.counts.services[0].serviceId").value("app1"))
			.andExpect(jsonPath("$.rates[0].perSecond").value(2.5))
			.andExpect(jsonPath("$.refreshMillis").value(2000));
	}

	@Test
	void ignoresAFilterThatIsNotAServiceId() throws Exception {
		given(this.dashboard.state(null)).willReturn(everythingUp());

		this.mvc.perform(get("/api/state").param("service", "../etc").with(httpBasic("admin", "123")))
			.andExpect(status().isOk());
	}

	@Test
	void embedsLogTextSoThatItCannotBreakOutOfItsScript() throws Exception {
		PanelState up = everythingUp();
		PanelState hostile = new PanelState(NOW, 2000, up.counts(), up.rates(),
				new LogTail(null,
						List.of(new LogLine(9, "2026-11-29 12:00:09", "app1", "WARN",
								"</script><script>alert(1)</script>", null)),
						NOW, false),
				up.parts(), up.queues(), up.routes(), CLIENTS);
		given(this.dashboard.state(null)).willReturn(hostile);

		this.mvc.perform(get("/").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(not(containsString("<script>alert(1)")),
					containsString("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"),
					containsString("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))));
	}

	@Test
	void neverPutsACredentialInThePage() throws Exception {
		given(this.dashboard.state(null)).willReturn(everythingUp());

		this.mvc.perform(get("/").with(httpBasic("admin", "123")))
			.andExpect(content().string(allOf(not(containsString("Authorization")), not(containsString("Basic ")),
					not(containsString("password")), not(containsString("admin:")))));
	}

	@Test
	void refusesARegistrationAnotherSiteAsksFor() throws Exception {
		this.mvc
			.perform(post("/api/register/app1").with(httpBasic("admin", "123"))
				.header("Sec-Fetch-Site", "cross-site")
				.header("Origin", "https://evil.example"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		// A browser that does not send Sec-Fetch-Site is judged by its Origin.
		this.mvc
			.perform(post("/api/register/app1").with(httpBasic("admin", "123")).header("Origin", "http://evil.example"))
			.andExpect(status().isForbidden());
		then(this.dashboard).should(never()).register(anyString());
	}

	@Test
	void registersWhenThePanelsOwnPageAsks() throws Exception {
		given(this.dashboard.register("app1")).willReturn(new ClientAnswer(200, "{\"service\":\"app1\"}"));

		this.mvc
			.perform(post("/api/register/app1").with(httpBasic("admin", "123"))
				.header("Sec-Fetch-Site", "same-origin")
				.header("Origin", "http://localhost"))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/api/register/app1").with(httpBasic("admin", "123")).header("Origin", "http://localhost"))
			.andExpect(status().isOk());
		// Behind the gateway the page's origin is the gateway's, which it forwards.
		this.mvc
			.perform(post("/api/register/app1").with(httpBasic("admin", "123"))
				.header("Origin", "https://registro.example:8443")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Host", "registro.example:8443")
				.header("X-Forwarded-Prefix", "/panel"))
			.andExpect(status().isOk());
	}

	@Test
	void passesTheClientsAnswerOn() throws Exception {
		given(this.dashboard.register("app1")).willReturn(new ClientAnswer(200,
				"{\"service\":\"app1\",\"registered\":{\"status\":\"message_sent\",\"message_id\":\"m-1\"}}"));
		given(this.dashboard.register("app2"))
			.willReturn(new ClientAnswer(503, "{\"service\":\"app2\",\"error\":\"broker unreachable\"}"));
		given(this.dashboard.register("app3")).willReturn(new ClientAnswer(502, null));

		this.mvc.perform(post("/api/register/app1").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.registered.message_id").value("m-1"));
		this.mvc.perform(post("/api/register/app2").with(httpBasic("admin", "123")))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error").value("broker unreachable"));
		this.mvc.perform(post("/api/register/app3").with(httpBasic("admin", "123")))
			.andExpect(status().isBadGateway())
			.andExpect(jsonPath("$.error").value("the client did not answer"));
		this.mvc.perform(post("/api/register/app9").with(httpBasic("admin", "123")))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("no such client in this panel"));
	}

	private static PanelState everythingUp() {
		return new PanelState(NOW, 2000,
				new Counts(List.of(new ServiceCount("app1", 52, "2026-11-29 12:00:01"),
						new ServiceCount("app2", 8, "2026-11-29 12:00:02")), 60, 3, NOW, false),
				List.of(new RatePoint(NOW, 2.5)),
				new LogTail(null,
						List.of(new LogLine(8, "2026-11-29 12:00:01", "app1", "INFO",
								"registration confirmed by the broker", "m-8")),
						NOW, false),
				List.of(new PartHealth("app1", "UP", "health.ready", List.of(), NOW),
						new PartHealth("reporte", "UP", "health.ready", List.of(), NOW),
						new PartHealth("logger", "UP", "health.ready", List.of(), NOW),
						new PartHealth("broker", "UP", "health.broker", List.of("0", "3"), NOW)),
				new Queues(0L, 3L, NOW, false), new GatewayRoutes().all(), CLIENTS);
	}

}
