package dev.registro.reporte.web;

import java.time.LocalDateTime;
import java.util.List;
import java.util.TreeMap;

import dev.registro.reporte.counting.Tally;
import dev.registro.support.security.AdminSecurity;
import dev.registro.support.web.BehindTheGateway;
import dev.registro.reporte.counting.Tally.ServiceSummary;
import dev.registro.reporte.counting.Tally.Summary;
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
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.hamcrest.Matchers.matchesPattern;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(ReportController.class)
@Import({ AdminSecurity.class, BehindTheGateway.class })
class ReportControllerTests {

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private Tally tally;

	@BeforeEach
	void countsComplete() {
		given(this.tally.complete()).willReturn(true);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/reporte", "/reportes", "/reportes/resumen" })
	void answers503WhileAnInstanceCatchesUpWithTheChangelogSoTheGatewayAsksAnother(String path) throws Exception {
		given(this.tally.complete()).willReturn(false);

		this.mvc.perform(get(path).with(httpBasic("admin", "123")))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("still catching up with the counts of the other instances"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/reporte", "/reportes", "/reportes/resumen", "/nope" })
	void challengesARequestWithoutCredentials(String path) throws Exception {
		this.mvc.perform(get(path))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Basic realm=\"registro\""))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(401));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/reporte", "/reportes", "/reportes/resumen" })
	void rejectsAWrongPassword(String path) throws Exception {
		this.mvc.perform(get(path).with(httpBasic("admin", "1234")))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Basic realm=\"registro\""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/reporte", "/reportes", "/reportes/resumen" })
	void rejectsAWrongUser(String path) throws Exception {
		this.mvc.perform(get(path).with(httpBasic("root", "123"))).andExpect(status().isUnauthorized());
	}

	// The guesses of these tests go to a username of their own: thirty failures for one
	// username in the window (across the tests of this class) would throttle it
	// everywhere.
	@Test
	void throttlesAnAddressAfterTenFailedLoginsWithoutLockingTheAdminOut() throws Exception {
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(get("/reportes").with(from("192.0.2.7")).with(httpBasic("intruder", "guess-" + i)))
				.andExpect(status().isUnauthorized());
		}
		this.mvc.perform(get("/reportes").with(from("192.0.2.7")).with(httpBasic("intruder", "guess-10")))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(429));
		// Not even the right password from there, until the window passes.
		this.mvc.perform(get("/reportes").with(from("192.0.2.7")).with(httpBasic("admin", "123")))
			.andExpect(status().isTooManyRequests());

		given(this.tally.counts()).willReturn(new TreeMap<>());
		this.mvc.perform(get("/reportes").with(from("192.0.2.8")).with(httpBasic("admin", "123")))
			.andExpect(status().isOk());
	}

	@Test
	void believesTheClientAddressTheGatewayForwardsAndNobodyElses() throws Exception {
		for (int i = 0; i < 10; i++) {
			this.mvc
				.perform(get("/reporte").with(from("127.0.0.1"))
					.header("X-Forwarded-For", "198.51.100.1")
					.with(httpBasic("intruder", "guess-" + i)))
				.andExpect(status().isUnauthorized());
		}
		this.mvc
			.perform(get("/reporte").with(from("127.0.0.1"))
				.header("X-Forwarded-For", "198.51.100.1")
				.with(httpBasic("intruder", "guess")))
			.andExpect(status().isTooManyRequests());
		// The gateway's other clients, and anyone around the gateway who claims to be the
		// throttled one, are judged by their own address.
		this.mvc
			.perform(get("/reporte").with(from("127.0.0.1"))
				.header("X-Forwarded-For", "198.51.100.2")
				.with(httpBasic("intruder", "guess")))
			.andExpect(status().isUnauthorized());
		this.mvc
			.perform(get("/reporte").with(from("192.0.2.9"))
				.header("X-Forwarded-For", "198.51.100.2")
				.with(httpBasic("intruder", "guess")))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void answersReporteInTheOriginalsTextFormSortedByServiceId() throws Exception {
		given(this.tally.counts()).willReturn(new TreeMap<>(java.util.Map.of("app2", 7L, "app1", 52L, "app10", 1L)));

		this.mvc.perform(get("/reporte").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
			.andExpect(content().string("{'app1': 52, 'app10': 1, 'app2': 7}"));
	}

	@Test
	void answersAnEmptyDictBeforeAnyRegistration() throws Exception {
		given(this.tally.counts()).willReturn(new TreeMap<>());

		this.mvc.perform(get("/reporte").with(httpBasic("admin", "123"))).andExpect(content().string("{}"));
		this.mvc.perform(get("/reportes").with(httpBasic("admin", "123"))).andExpect(content().string("{}"));
	}

	@Test
	void answersReportesAsAJsonObjectSortedByServiceId() throws Exception {
		given(this.tally.counts()).willReturn(new TreeMap<>(java.util.Map.of("app3", 3L, "app1", 1L, "app2", 2L)));

		this.mvc.perform(get("/reportes").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(content().string("{\"app1\":1,\"app2\":2,\"app3\":3}"));
	}

	@Test
	void summarisesCountsLatestRegistrationsTotalAndRejected() throws Exception {
		given(this.tally.summary())
			.willReturn(new Summary(List.of(new ServiceSummary("app1", 52, LocalDateTime.of(2026, 11, 29, 12, 0, 1)),
					new ServiceSummary("app2", 8, LocalDateTime.of(2026, 11, 29, 12, 0, 2))), 60, 3));

		this.mvc.perform(get("/reportes/resumen").with(httpBasic("admin", "123")))
			.andExpect(status().isOk())
			.andExpect(content().json("""
					{"total":60,"rejected":3,"services":[
					 {"service_id":"app1","count":52,"last_registration":"2026-11-29 12:00:01"},
					 {"service_id":"app2","count":8,"last_registration":"2026-11-29 12:00:02"}]}
					""", JsonCompareMode.STRICT));
	}

	@Test
	void answersAnUnknownPathWithJson404ToTheAdmin() throws Exception {
		this.mvc.perform(get("/reportes/nope").with(httpBasic("admin", "123")))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(404));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/reporte", "/reportes", "/reportes/resumen" })
	void answersAWrongMethodWithJson405(String path) throws Exception {
		this.mvc.perform(post(path).with(httpBasic("admin", "123")))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string("Allow", "GET"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(405));
	}

	private static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
