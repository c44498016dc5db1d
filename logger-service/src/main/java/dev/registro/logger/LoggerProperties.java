package dev.registro.logger;

import java.nio.file.Path;

import dev.registro.contract.LogEvent;
import dev.registro.contract.Topology;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the central logger.
 *
 * @param directory where the history is kept (a volume in compose)
 * @param maxFileSize a history file that grows past this starts a new one
 * @param maxFiles how many history files are kept; older ones are deleted
 * @param fsync whether each batch is forced to disk before it is acknowledged (otherwise
 * it is only handed to the operating system, which survives a crash of the logger but not
 * of the machine)
 * @param maxEventBytes larger events are kept only as a rejected line
 * @param batchSize how many events are written and acknowledged together at most
 * @param filteredReadSize how much of the history, newest first, one filtered read looks
 * at before it answers with what it found and where to go on ({@code next_before})
 * @param queue the queue events are taken from: the central {@code logger}, or for a
 * second logger with a history of its own, a queue of its own that it declares and binds
 * to {@code logs} (e.g. {@code logger.2})
 */
@ConfigurationProperties("registro.logger")
@Validated
public record LoggerProperties(@DefaultValue("logger-data") @NotNull Path directory,
		@DefaultValue("64MB") @NotNull DataSize maxFileSize, @DefaultValue("16") @Min(1) @Max(100_000) int maxFiles,
		@DefaultValue("true") boolean fsync,
		@DefaultValue("" + LogEvent.DEFAULT_MAX_BODY_BYTES) @Min(256) int maxEventBytes,
		@DefaultValue("250") @Min(1) @Max(10_000) int batchSize,
		@DefaultValue("8MB") @NotNull DataSize filteredReadSize,
		@DefaultValue(Topology.LOGGER_QUEUE) @Pattern(regexp = "[A-Za-z0-9._-]{1,200}") String queue) {
}
