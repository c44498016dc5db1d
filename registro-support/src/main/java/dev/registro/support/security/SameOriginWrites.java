package dev.registro.support.security;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request that changes something (any method but GET, HEAD, OPTIONS and TRACE)
 * when a browser says it comes from another site: browsers send the admin's cached HTTP
 * Basic credentials with it, so without this another site could make the panel register.
 * A browser tells through {@code Sec-Fetch-Site} (anything but {@code same-origin} or
 * {@code none} is refused) or, where it does not send that, through {@code Origin}, which
 * must be this request's own scheme, host and port. A program that sends neither (curl)
 * is let through: it carries no one else's credentials.
 */
class SameOriginWrites extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(SameOriginWrites.class);

	private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (SAFE.contains(request.getMethod()) || sameOrigin(request)) {
			chain.doFilter(request, response);
			return;
		}
		log.warn("Refused a cross-site {} {} (Origin {}, Sec-Fetch-Site {})", request.getMethod(),
				request.getRequestURI(), request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"));
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
					+ "\"detail\":\"Only the panel's own pages may change something here.\"}");
	}

	static boolean sameOrigin(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			return site.equals("same-origin") || site.equals("none");
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return true;
		}
		try {
			URI from = URI.create(origin);
			return from.getScheme() != null && from.getHost() != null
					&& from.getScheme().toLowerCase(Locale.ROOT).equals(request.getScheme().toLowerCase(Locale.ROOT))
					&& from.getHost().equalsIgnoreCase(request.getServerName())
					&& port(from.getPort(), from.getScheme()) == request.getServerPort();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(int port, String scheme) {
		return (port != -1) ? port : scheme.equalsIgnoreCase("https") ? 443 : 80;
	}

}
