package dev.registro.cliente.registration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The original clients registered themselves every 10 s; this one does so only when
 * {@code registro.cliente.self-register.enabled} is true. Outcomes are logged and metered
 * by {@link Registrations} like any other registration.
 */
@Component
@EnableScheduling
@ConditionalOnBooleanProperty("registro.cliente.self-register.enabled")
class SelfRegistration {

	private final Registrations registrations;

	SelfRegistration(Registrations registrations) {
		this.registrations = registrations;
	}

	@Scheduled(initialDelayString = "${registro.cliente.self-register.interval:10s}",
			fixedDelayString = "${registro.cliente.self-register.interval:10s}")
	void registerOnce() {
		// Wait for the outcome so that a slow broker never piles up registrations.
		this.registrations.register().exceptionally(failure -> null).join();
	}

}
