package dev.registro.cliente.registration;

import java.util.concurrent.CompletableFuture;

import dev.registro.support.messaging.PublishFailedException.Reason;
import dev.registro.cliente.registration.Registrations.Receipt;
import dev.registro.support.messaging.PublishFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(RegistrationController.class)
class RegistrationControllerTests {

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private Registrations registrations;

	@BeforeEach
	void serviceId() {
		given(this.registrations.serviceId()).willReturn("app1");
	}

	@Test
	void answersTheOriginalsJsonOnceTheBrokerConfirmed() throws Exception {
		given(this.registrations.register()).willReturn(CompletableFuture
			.completedFuture(new Receipt("message_sent", "registro", "2026-11-29 12:00:00", "5f0c-id")));

		MvcResult pending = this.mvc.perform(get("/")).andExpect(request().asyncStarted()).andReturn();

		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(content().json("""
					{"service":"app1","registered":{"status":"message_sent","queue":"registro",
					 "time":"2026-11-29 12:00:00","message_id":"5f0c-id"}}
					""", org.springframework.test.json.JsonCompareMode.STRICT));
	}

	@Test
	void registersOnPostToo() throws Exception {
		given(this.registrations.register()).willReturn(CompletableFuture
			.completedFuture(new Receipt("message_sent", "registro", "2026-11-29 12:00:00", "id-2")));

		MvcResult pending = this.mvc.perform(post("/")).andExpect(request().asyncStarted()).andReturn();

		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.registered.message_id").value("id-2"));
	}

	@Test
	void answers503WithAJsonErrorWhenTheRegistrationIsNotSafelyInTheBroker() throws Exception {
		given(this.registrations.register()).willReturn(CompletableFuture
			.failedFuture(new PublishFailedException(Reason.TIMEOUT, "broker did not confirm within 5000 ms", null)));

		MvcResult pending = this.mvc.perform(get("/")).andExpect(request().asyncStarted()).andReturn();

		this.mvc.perform(asyncDispatch(pending))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "1"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(content().json("""
					{"service":"app1","error":"broker did not confirm within 5000 ms"}
					""", org.springframework.test.json.JsonCompareMode.STRICT));
	}

	@Test
	void answersAnUnknownPathWithJson404() throws Exception {
		this.mvc.perform(get("/nope"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(404));
	}

	@Test
	void answersAnUnsupportedMethodWithJson405() throws Exception {
		this.mvc.perform(delete("/"))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string("Allow", org.hamcrest.Matchers.containsString("POST")))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(405));
	}

}
