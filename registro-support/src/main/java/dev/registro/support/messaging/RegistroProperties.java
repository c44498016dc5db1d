package dev.registro.support.messaging;

import java.time.Duration;

import dev.registro.contract.Registro;
import dev.registro.contract.Topology;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
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
	 * @param confirmTimeout how long a publish waits for the broker's confirm before it
	 * counts as failed
	 * @param maxMessageBytes the largest message body the broker takes (its
	 * {@code max_message_size}): a consumer prefetches only as many messages as fit a
	 * quarter of its heap at this size
	 * @param logLinger how long a batch of log events waits for more after its first: the
	 * longer, the fewer messages, and the later an event reaches the central log
	 */
	public record Messaging(@DefaultValue("5s") @NotNull Duration confirmTimeout,
			@DefaultValue("" + Topology.MAX_MESSAGE_BYTES) @Min(1024) int maxMessageBytes,
			@DefaultValue("20ms") @NotNull Duration logLinger) {

		@AssertTrue(message = "log-linger must be between 0 and 1 s")
		boolean isLogLingerSensible() {
			return this.logLinger == null || (!this.logLinger.isNegative() && this.logLinger.toMillis() <= 1000);
		}

		@AssertTrue(message = "confirm-timeout must be between 1 ms and 60 s")
		boolean isConfirmTimeoutSensible() {
			return this.confirmTimeout == null
					|| (this.confirmTimeout.toMillis() >= 1 && this.confirmTimeout.toSeconds() <= 60);
		}

	}

}
