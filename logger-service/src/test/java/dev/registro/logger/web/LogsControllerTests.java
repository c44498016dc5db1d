package dev.registro.logger.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import dev.registro.logger.history.EventLog;
import dev.registro.logger.history.LogPage;
import dev.registro.logger.history.LogQuery;
import dev.registro.logger.history.StoredEvent;
import dev.registro.support.security.AdminSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(LogsController.class)
@Import(AdminSecurity.class)
class LogsControllerTests {

	private static final Instant NOON = LocalDateTime.of(2026, 11, 29, 12, 0, 5)
		.atZone(ZoneId.systemDefault())
		.toInstant();

	private static final StoredEvent REGISTERED = new StoredEvent(7, NOON, "e-7", "app1", NOON, "INFO",
			"registration confirmed by the broker", "m-7", null, null);

	private static final StoredEvent REJECTED = new StoredEvent(8, NOON, "e-8", "unknown", NOON, "ERROR",
			"unreadable event: body is empty", null, "malformed", "<b>not json</b>");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private EventLog history;

	@BeforeEach
	void history() throws Exception {
		given(this.history.read(any())).willReturn(new LogPage(List.of(REJECTED, REGISTERED), 8, 7L));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/logs", "/logs?format=json", "/logs?format=text" })
	void challengesEveryFormWithoutCredentials(String uri) throws Exception {
		this.mvc.perform(get(uri))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Basic realm=\"registro\""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/logs", "/logs?format=json", "/logs?format=text" })
	void rejectsAWrongPasswordOnEveryForm(String uri) throws Exception {
		this.mvc.perform(get(uri).with(httpBasic("admin", "wrong"))).andExpect(status().isUnauthorized());
	}

	@Test
	void servesPeopleAPageWithReadableTimesNewestFirst() throws Exception {
		this.mvc.perform(get("/logs").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andExpect(content().string(allOf(containsString("2026-11-29 12:00:05"),
					containsString("registration confirmed by the broker"), containsString("m-7"),
					containsString("class=\"rejected\""), containsString("&lt;b&gt;not json&lt;/b&gt;"),
					not(containsString("<b>not json</b>")), containsString("before=7"))));
	}

	@Test
	void speaksToPeopleInTheirLanguageAndToProgramsInTheOriginalsWords() throws Exception {
		this.mvc.perform(get("/logs").header("Accept-Language", "es").with(httpBasic("admin", "123")))
			.andExpect(content().string(allOf(containsString("lang=\"es\""), containsString("Log central"),
					containsString("Filtrar"), containsString("recibido: "), not(containsString("Central log")))));
		this.mvc.perform(get("/logs").header("Accept-Language", "fr").with(httpBasic("admin", "123")))
			.andExpect(content().string(allOf(containsString("lang=\"en\""), containsString("Central log"))));
		this.mvc.perform(get("/logs?format=text").header("Accept-Language", "es").with(httpBasic("admin", "123")))
			.andExpect(content().string(containsString("] - Servicio: app1 - Mensaje: ")));
	}

	@Test
	void servesProgramsJsonWithTheCursor() throws Exception {
		this.mvc.perform(get("/logs").param("format", "json").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(content().json("""
					{"cursor":8,"next_before":7,"events":[
					 {"seq":8,"service_id":"unknown","level":"ERROR","rejected":"malformed","raw":"<b>not json</b>"},
					 {"seq":7,"service_id":"app1","level":"INFO","message":"registration confirmed by the broker",
					  "message_id":"m-7","event_id":"e-7"}]}
					""", JsonCompareMode.LENIENT));
	}

	@Test
	void servesCurlTheOriginalsLines() throws Exception {
		this.mvc.perform(get("/logs").param("format", "text").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
			.andExpect(content().string("""
					[2026-11-29 12:00:05] - Servicio: unknown - Mensaje: unreadable event: body is empty
					[2026-11-29 12:00:05] - Servicio: app1 - Mensaje: registration confirmed by the broker
					"""));
	}

	@Test
	void passesEveryFilterToTheHistory() throws Exception {
		this.mvc
			.perform(get("/logs").param("format", "json")
				.param("service", "app2")
				.param("q", "Rejected")
				.param("after", "10")
				.param("before", "90")
				.param("limit", "5")
				.with(httpBasic("admin", "123")))
			.andExpect(status().isOk());

		verify(this.history).read(new LogQuery("app2", "rejected", 10L, 90L, 5));
	}

	@ParameterizedTest
	@ValueSource(strings = { "format=xml", "format=json&limit=0", "format=json&limit=1001", "format=json&limit=abc",
			"format=json&after=-1", "format=text&before=0", "limit=5000" })
	void answersBadParametersWith400(String parameters) throws Exception {
		this.mvc.perform(get("/logs?" + parameters).with(httpBasic("admin", "123"))).andExpect(status().isBadRequest());
	}

	@Test
	void answersAParameterOutOfRangeWithTheReason() throws Exception {
		this.mvc.perform(get("/logs?format=json&limit=0&after=-1").with(httpBasic("admin", "123")))
			.andExpect(status().isBadRequest())
			.andExpect(status().reason(allOf(containsString("limit must be between 1 and 1000"),
					containsString("after must be at least 0"))));
	}

	@Test
	void answersAnUnknownFormatWithTheReason() throws Exception {
		this.mvc.perform(get("/logs?format=xml").with(httpBasic("admin", "123")))
			.andExpect(status().isBadRequest())
			.andExpect(status().reason("format must be json or text, or left out for the page"));
	}

	@Test
	void answersAWrongMethodWith405() throws Exception {
		this.mvc.perform(post("/logs").with(httpBasic("admin", "123"))).andExpect(status().isMethodNotAllowed());
	}

}
