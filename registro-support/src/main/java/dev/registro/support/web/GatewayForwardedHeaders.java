package dev.registro.support.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the client's address, scheme, host and path prefix from the gateway's
 * {@code X-Forwarded-*} headers, but only when the request comes from the gateway's own
 * address: anyone else could claim any address, and so dodge the login throttle or forge
 * links. From anyone else the headers are removed, unread.
 */
public class GatewayForwardedHeaders extends OncePerRequestFilter {

	private final Set<InetAddress> gateways;

	private final ForwardedHeaderFilter apply = new ForwardedHeaderFilter();

	private final ForwardedHeaderFilter remove = new ForwardedHeaderFilter();

	public GatewayForwardedHeaders(List<String> gatewayAddresses) {
		this.gateways = gatewayAddresses.stream().map(GatewayForwardedHeaders::address).collect(Collectors.toSet());
		this.remove.setRemoveOnly(true);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean fromGateway;
		try {
			fromGateway = this.gateways.contains(InetAddress.getByName(request.getRemoteAddr()));
		}
		catch (UnknownHostException ex) {
			fromGateway = false;
		}
		(fromGateway ? this.apply : this.remove).doFilter(request, response, chain);
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal.trim());
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not an address of the gateway: '" + literal + "'", ex);
		}
	}

}
