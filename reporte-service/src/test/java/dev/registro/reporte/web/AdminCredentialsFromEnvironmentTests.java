package dev.registro.reporte.web;

import java.util.TreeMap;

import dev.registro.reporte.counting.Tally;
import dev.registro.support.security.AdminSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * ADMIN_USERNAME and ADMIN_PASSWORD replace the original's login; a bcrypt hash is taken
 * as is.
 */
@WebMvcTest(controllers = ReportController.class,
		properties = { "admin.username=boss",
				"admin.password={bcrypt}$2a$10$IXTrOlVHZZZ4AHkLbtHr.eTYAEPlgN1LyzRYExBEptHYonBACROfi" })
@Import(AdminSecurity.class)
class AdminCredentialsFromEnvironmentTests {

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private Tally tally;

	@BeforeEach
	void countsComplete() {
		given(this.tally.complete()).willReturn(true);
	}

	@BeforeEach
	void counts() {
		given(this.tally.counts()).willReturn(new TreeMap<>());
	}

	@Test
	void letsInTheConfiguredAdminWhosePasswordWasGivenAsAHash() throws Exception {
		this.mvc.perform(get("/reportes").with(httpBasic("boss", "s3cret-pass"))).andExpect(status().isOk());
	}

	@Test
	void noLongerLetsInTheDefaultLogin() throws Exception {
		this.mvc.perform(get("/reportes").with(httpBasic("admin", "123"))).andExpect(status().isUnauthorized());
	}

	@Test
	void doesNotTakeTheHashItselfAsThePassword() throws Exception {
		this.mvc
			.perform(get("/reportes")
				.with(httpBasic("boss", "$2a$10$IXTrOlVHZZZ4AHkLbtHr.eTYAEPlgN1LyzRYExBEptHYonBACROfi")))
			.andExpect(status().isUnauthorized());
	}

}
