package dev.registro.panel;

import dev.registro.support.messaging.RegistroMessaging;
import dev.registro.support.security.AdminSecurity;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What this service takes from registro-support. Kept off the application class so that
 * slice tests ({@code @WebMvcTest}) do not pull the broker in.
 */
@Configuration(proxyBeanMethods = false)
@Import({ RegistroMessaging.class, AdminSecurity.class })
class SharedConfiguration {

}
