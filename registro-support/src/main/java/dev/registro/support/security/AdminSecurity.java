package dev.registro.support.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Everything but health is for the admin, over HTTP Basic in the realm {@value #REALM}
 * that every registro service shares, with the login of {@code ADMIN_USERNAME} and
 * {@code ADMIN_PASSWORD}. No sessions and no CSRF tokens: the admin routes only read, and
 * every request carries its credentials. A service with admin routes takes it with
 * {@code @Import}.
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
	SecurityFilterChain adminOnly(HttpSecurity http) throws Exception {
		AuthenticationEntryPoint challenge = AdminSecurity::challenge;
		http.authorizeHttpRequests(
				requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
					.permitAll()
					.anyRequest()
					.hasRole("ADMIN"))
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

	@Bean
	PasswordEncoder passwordEncoder() {
		return new CachingPasswordEncoder(new BCryptPasswordEncoder(), Duration.ofMinutes(10), Clock.systemUTC());
	}

	@Bean
	UserDetailsService admin(Environment environment, PasswordEncoder passwords) {
		AdminCredentials credentials = Binder.get(environment).bindOrCreate("admin", AdminCredentials.class);
		if (credentials.isDefault()) {
			log.warn("Using the default admin login admin/123: set ADMIN_USERNAME and ADMIN_PASSWORD");
		}
		String hash = (credentials.givenHash() != null) ? credentials.givenHash()
				: passwords.encode(credentials.password());
		return new InMemoryUserDetailsManager(
				User.withUsername(credentials.username()).password(hash).roles("ADMIN").build());
	}

	/** 401 with the Basic challenge, and a problem document instead of an empty body. */
	private static void challenge(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException failure) throws IOException {
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
					+ "\"detail\":\"Log in as the registro admin (HTTP Basic).\"}");
	}

}
