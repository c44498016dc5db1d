package dev.registro.support.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Everything but health is for the admin, over HTTP Basic in the realm {@value #REALM}
 * that every registro service shares, with the login of {@code ADMIN_USERNAME} and
 * {@code ADMIN_PASSWORD}. No sessions: every request carries its credentials. Since a
 * browser resends those on its own, a write must come from the page's own origin
 * ({@link SameOriginWrites}) rather than carry a CSRF token. Failed logins are throttled
 * per address and per username ({@link AdminLogin}). A service with admin routes takes it
 * with {@code @Import}.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurity {

	/**
	 * One realm for the whole system, so a browser that logged in once is let in
	 * everywhere.
	 */
	public static final String REALM = "registro";

	private static final Logger log = LoggerFactory.getLogger(AdminSecurity.class);

	@Bean
	SecurityFilterChain adminOnly(HttpSecurity http, AdminLogin login) throws Exception {
		AuthenticationEntryPoint challenge = AdminSecurity::challenge;
		http.authorizeHttpRequests(
				requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
					.permitAll()
					.anyRequest()
					.hasRole("ADMIN"))
			// The login alone, without the global manager as a parent: a failure there
			// would be tried again by the same login, and counted twice.
			.authenticationManager(new ProviderManager(login))
			// Before any login is checked: a cross-site write costs no bcrypt either.
			.addFilterBefore(new SameOriginWrites(), BasicAuthenticationFilter.class)
			.httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(challenge))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(challenge))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			// Stateless HTTP Basic: no saved request to go back to, no session to log out
			// of.
			.requestCache(cache -> cache.disable())
			.logout(logout -> logout.disable())
			.headers(Customizer.withDefaults());
		return http.build();
	}

	/**
	 * Spring Security observes each of its filters, every authentication and
	 * authorization on every request. Profiled on /reportes that was the largest single
	 * cost, for figures nobody reads: the requests stay observed as a whole
	 * (http_server_requests).
	 */
	@Bean
	static SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * The admin login, from {@code ADMIN_USERNAME} and {@code ADMIN_PASSWORD}; ten failed
	 * logins from an address in five minutes make it wait, and thirty for a username make
	 * every address that failed already wait. Password checks take at most half the
	 * cores.
	 */
	@Bean
	AdminLogin adminLogin(Environment environment, ObjectProvider<MeterRegistry> meters) {
		AdminCredentials credentials = Binder.get(environment).bindOrCreate("admin", AdminCredentials.class);
		if (credentials.isDefault()) {
			log.warn("Using the default admin login admin/123: set ADMIN_USERNAME and ADMIN_PASSWORD");
		}
		PasswordEncoder bcrypt = new BCryptPasswordEncoder();
		String hash = (credentials.givenHash() != null) ? credentials.givenHash()
				: bcrypt.encode(credentials.password());
		Clock clock = Clock.systemUTC();
		return new AdminLogin(credentials.username(), hash, bcrypt,
				new LoginThrottle(10, 30, Duration.ofMinutes(5), clock),
				meters.getIfAvailable(SimpleMeterRegistry::new), clock, Duration.ofMinutes(10),
				Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
	}

	/**
	 * 401 with the Basic challenge, and a problem document instead of an empty body; 429
	 * with {@code Retry-After} for a login throttled after too many failures.
	 */
	private static void challenge(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException failure) throws IOException {
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		if (failure instanceof LoginThrottledException throttled) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
						+ "\"detail\":\"Too many failed logins; try again in " + throttled.retryAfterSeconds()
						+ " s.\"}");
			return;
		}
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
					+ "\"detail\":\"Log in as the registro admin (HTTP Basic).\"}");
	}

}
