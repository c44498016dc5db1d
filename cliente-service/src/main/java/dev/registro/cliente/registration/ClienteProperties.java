package dev.registro.cliente.registration;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a client beyond those every service has (its service id and confirm timeout
 * are in {@code RegistroProperties}).
 *
 * @param selfRegister the original's periodic registration, off by default
 */
@ConfigurationProperties("registro.cliente")
@Validated
record ClienteProperties(@DefaultValue @Valid SelfRegister selfRegister) {

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
