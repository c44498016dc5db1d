package dev.registro.support.messaging;

import java.time.Duration;

import dev.registro.contract.Registro;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What every service says of itself.
 *
 * @param serviceId the id this service publishes under: a client's {@code SERVICE_ID}
 * ({@code app1}), or the service's name ({@code reporte}, {@code logger})
 * @param messaging how it publishes
 */
@ConfigurationProperties("registro")
@Validated
public record RegistroProperties(String serviceId, @DefaultValue @Valid Messaging messaging) {

	@AssertTrue(message = "service-id must be 1 to 64 characters of letters, digits, '.', '_' or '-'")
	boolean isServiceIdValid() {
		return Registro.isValidServiceId(this.serviceId);
	}

	/**
	 * @param confirmTimeout how long a publish waits for the broker's confirm before it counts
	 * as failed
	 */
	public record Messaging(@DefaultValue("5s") @NotNull Duration confirmTimeout) {

		@AssertTrue(message = "confirm-timeout must be between 1 ms and 60 s")
		boolean isConfirmTimeoutSensible() {
			return this.confirmTimeout == null
					|| (this.confirmTimeout.toMillis() >= 1 && this.confirmTimeout.toSeconds() <= 60);
		}

	}

}
