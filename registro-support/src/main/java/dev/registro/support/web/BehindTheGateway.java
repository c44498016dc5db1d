package dev.registro.support.web;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * A service behind the gateway: its forwarded headers believed from the gateway's
 * addresses only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class BehindTheGateway {

	/**
	 * First of all filters, so that everything after, the login throttle included, sees
	 * the client the gateway saw.
	 */
	@Bean
	FilterRegistrationBean<GatewayForwardedHeaders> gatewayForwardedHeaders(GatewayProperties gateway) {
		FilterRegistrationBean<GatewayForwardedHeaders> registration = new FilterRegistrationBean<>(
				new GatewayForwardedHeaders(gateway.addresses()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

}
