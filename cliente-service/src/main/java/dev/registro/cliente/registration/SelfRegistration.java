package dev.registro.cliente.registration;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The original clients registered themselves every 10 s; this one does so only when
 * {@code registro.cliente.self-register.enabled} is true, at the validated
 * {@code self-register.interval}. Outcomes are logged and metered by
 * {@link Registrations} like any other registration.
 */
@Component
@EnableScheduling
@ConditionalOnBooleanProperty("registro.cliente.self-register.enabled")
class SelfRegistration implements SchedulingConfigurer {

	private final Registrations registrations;

	private final Duration interval;

	SelfRegistration(Registrations registrations, ClienteProperties properties) {
		this.registrations = registrations;
		this.interval = properties.selfRegister().interval();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::registerOnce, this.interval, this.interval));
	}

	void registerOnce() {
		// Wait for the outcome so that a slow broker never piles up registrations.
		this.registrations.register().exceptionally(failure -> null).join();
	}

}
