package dev.registro.reporte.counting;

import java.time.Duration;

import dev.registro.contract.RegistroCodec;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the counting side.
 *
 * @param maxBodyBytes larger message bodies are rejected unread
 * @param deadLetterTimeout how long moving a rejected message to the dead-letter queue may
 * wait for the broker's confirm before the message is handed back to the queue
 */
@ConfigurationProperties("registro.reporte")
@Validated
record ReporteProperties(@DefaultValue("" + RegistroCodec.DEFAULT_MAX_BODY_BYTES) @Min(64) int maxBodyBytes,
		@DefaultValue("5s") @NotNull Duration deadLetterTimeout) {

	@AssertTrue(message = "dead-letter-timeout must be between 1 ms and 60 s")
	boolean isDeadLetterTimeoutSensible() {
		return this.deadLetterTimeout == null
				|| (this.deadLetterTimeout.toMillis() >= 1 && this.deadLetterTimeout.toSeconds() <= 60);
	}

}
