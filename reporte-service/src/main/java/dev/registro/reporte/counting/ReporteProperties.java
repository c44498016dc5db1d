package dev.registro.reporte.counting;

import dev.registro.contract.RegistroCodec;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the counting side.
 *
 * @param maxBodyBytes larger message bodies are rejected unread
 */
@ConfigurationProperties("registro.reporte")
@Validated
record ReporteProperties(@DefaultValue("" + RegistroCodec.DEFAULT_MAX_BODY_BYTES) @Min(64) int maxBodyBytes) {
}
