package dev.registro.reporte.counting;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param maxServices how many distinct service ids are counted at most; registrations of
 * further ids go to the dead-letter queue, so that no producer can grow the counts
 * without bound
 * @param durable whether each batch is saved to the state file before it is acknowledged;
 * {@code false} counts in memory only and loses the counts at every restart, which only a
 * benchmark of what durability costs wants
 * @param rejectionSummaryInterval how often the central log is told, per kind and
 * producer, how many messages were rejected
 * @param store where the counts are kept: {@code file}, the state file of one instance;
 * or {@code stream}, the changelog stream in RabbitMQ that two or more instances share
 * @param snapshotInterval with {@code stream}, how often the counting instance records a
 * full snapshot, which a starting instance reads from instead of the stream's start
 */
@ConfigurationProperties("registro.reporte")
@Validated
record ReporteProperties(@DefaultValue("" + RegistroCodec.DEFAULT_MAX_BODY_BYTES) @Min(64) int maxBodyBytes,
		@DefaultValue("reporte-data/counts.json") @NotNull Path stateFile,
		@DefaultValue("1000") @Min(1) @Max(1000) int batchSize,
		@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxServices, @DefaultValue("true") boolean durable,
		@DefaultValue("10s") @NotNull Duration rejectionSummaryInterval, @DefaultValue("file") @NotNull Store store,
		@DefaultValue("30s") @NotNull Duration snapshotInterval) {

	/** Where the counts are kept. */
	enum Store {

		/** The state file: one instance, and the counts on its disk. */
		FILE,

		/** The changelog stream in RabbitMQ, shared by every instance. */
		STREAM

	}

}
