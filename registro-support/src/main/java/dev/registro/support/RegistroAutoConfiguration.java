package dev.registro.support;

import dev.registro.support.messaging.RegistroMessaging;
import dev.registro.support.security.AdminSecurity;
import dev.registro.support.web.BehindTheGateway;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What every registro service gets by depending on registro-support: the broker side (the
 * topology, the confirming publisher, log events) and, in a service with Spring Security,
 * the admin login. Slice tests ({@code @WebMvcTest}) leave it out, so they do not pull
 * the broker in; those of admin routes {@code @Import(AdminSecurity.class)}, and those
 * that look at forwarded headers {@code @Import(BehindTheGateway.class)}.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class)
@Import(RegistroMessaging.class)
public class RegistroAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Import(BehindTheGateway.class)
	static class Web {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityFilterChain.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Import(AdminSecurity.class)
	static class AdminLogin {

	}

}
