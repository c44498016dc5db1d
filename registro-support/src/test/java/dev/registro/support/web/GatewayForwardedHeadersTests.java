package dev.registro.support.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayForwardedHeadersTests {

	private final GatewayForwardedHeaders filter = new GatewayForwardedHeaders(List.of("127.0.0.1", "::1"));

	@Test
	void believesTheGatewayAboutTheClientItsSchemeHostAndPrefix() throws Exception {
		HttpServletRequest seen = pass(forwarded("127.0.0.1"));

		assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.9");
		assertThat(seen.getScheme()).isEqualTo("https");
		assertThat(seen.getServerName()).isEqualTo("registro.example");
		assertThat(seen.getRequestURI()).isEqualTo("/panel/api/state");
	}

	@Test
	void believesNoOneElseAndHidesWhatTheyClaim() throws Exception {
		HttpServletRequest seen = pass(forwarded("192.0.2.50"));

		assertThat(seen.getRemoteAddr()).isEqualTo("192.0.2.50");
		assertThat(seen.getScheme()).isEqualTo("http");
		assertThat(seen.getRequestURI()).isEqualTo("/api/state");
		assertThat(seen.getHeader("X-Forwarded-For")).isNull();
	}

	@Test
	void knowsTheGatewayByItsAddressInAnyForm() throws Exception {
		HttpServletRequest seen = pass(forwarded("0:0:0:0:0:0:0:1"));

		assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.9");
	}

	private static MockHttpServletRequest forwarded(String from) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/state");
		request.setRemoteAddr(from);
		request.addHeader("X-Forwarded-For", "203.0.113.9");
		request.addHeader("X-Forwarded-Proto", "https");
		request.addHeader("X-Forwarded-Host", "registro.example");
		request.addHeader("X-Forwarded-Prefix", "/panel");
		return request;
	}

	private HttpServletRequest pass(MockHttpServletRequest request) throws Exception {
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		return (HttpServletRequest) chain.getRequest();
	}

}
