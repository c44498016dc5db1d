package dev.registro.support.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class SameOriginWritesTests {

	@ParameterizedTest
	@CsvSource(nullValues = "-", value = {
			// method, Sec-Fetch-Site, Origin, expected status
			"POST, same-origin, -, 200", "POST, none, -, 200", "POST, -, http://panel.example:8080, 200",
			"POST, -, -, 200", "POST, cross-site, -, 403", "POST, same-site, -, 403",
			"POST, -, https://evil.example, 403", "POST, -, http://panel.example:9999, 403", "POST, -, null, 403",
			"DELETE, cross-site, -, 403", "GET, cross-site, https://evil.example, 200" })
	void refusesWritesThatABrowserSaysComeFromAnotherSite(String method, String site, String origin, int status)
			throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/register/app1");
		request.setScheme("http");
		request.setServerName("panel.example");
		request.setServerPort(8080);
		if (site != null) {
			request.addHeader("Sec-Fetch-Site", site);
		}
		if (origin != null) {
			request.addHeader("Origin", origin);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();

		new SameOriginWrites().doFilter(request, response, new MockFilterChain());

		assertThat(response.getStatus()).isEqualTo(status);
		if (status == 403) {
			assertThat(response.getContentAsString()).contains("\"status\":403");
		}
	}

}
