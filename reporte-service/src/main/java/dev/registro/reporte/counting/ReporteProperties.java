package dev.registro.reporte.counting;

import java.nio.file.Path;

import dev.registro.contract.RegistroCodec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the counting side.
 *
 * @param maxBodyBytes larger message bodies are rejected unread
 * @param stateFile where the counts are kept between runs (a volume in compose)
 * @param batchSize how many messages are counted, saved and acknowledged together at most
 */
@ConfigurationProperties("registro.reporte")
@Validated
record ReporteProperties(@DefaultValue("" + RegistroCodec.DEFAULT_MAX_BODY_BYTES) @Min(64) int maxBodyBytes,
		@DefaultValue("reporte-data/counts.json") @NotNull Path stateFile,
		@DefaultValue("250") @Min(1) @Max(1000) int batchSize) {
}
