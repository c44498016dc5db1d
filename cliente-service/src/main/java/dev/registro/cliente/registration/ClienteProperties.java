package dev.registro.cliente.registration;

import java.time.Duration;

import dev.registro.contract.Registro;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of one client.
 *
 * @param serviceId the id this client registers as ({@code SERVICE_ID})
 * @param confirmTimeout how long a registration waits for the broker's confirm before it
 * answers 503
 * @param selfRegister the original's periodic registration, off by default
 */
@ConfigurationProperties("registro.cliente")
@Validated
record ClienteProperties(String serviceId, @DefaultValue("5s") @NotNull Duration confirmTimeout,
		@DefaultValue @Valid SelfRegister selfRegister) {

	@AssertTrue(message = "service-id (SERVICE_ID) must be 1 to 64 characters of letters, digits, '.', '_' or '-'")
	boolean isServiceIdValid() {
		return Registro.isValidServiceId(this.serviceId);
	}

	@AssertTrue(message = "confirm-timeout must be between 1 ms and 60 s")
	boolean isConfirmTimeoutSensible() {
		return this.confirmTimeout == null
				|| (this.confirmTimeout.toMillis() >= 1 && this.confirmTimeout.toSeconds() <= 60);
	}

	/**
	 * @param enabled whether the client registers by itself
	 * @param interval the delay between two self-registrations (the original used 10 s)
	 */
	record SelfRegister(@DefaultValue("false") boolean enabled, @DefaultValue("10s") @NotNull Duration interval) {

		@AssertTrue(message = "self-register.interval must be at least 100 ms")
		boolean isIntervalSensible() {
			return this.interval == null || this.interval.toMillis() >= 100;
		}

	}

}
