package dev.registro.logger.history;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;

import dev.registro.logger.LoggerProperties;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The history on disk, and whether it can be written. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	@Bean(destroyMethod = "close")
	EventLog eventLog(LoggerProperties properties, Clock clock) throws IOException {
		return new EventLog(properties.directory().toAbsolutePath(), properties.maxFileSize().toBytes(),
				properties.maxFiles(), properties.fsync(), clock, EventLog.REDELIVERY_WINDOW,
				properties.filteredReadSize().toBytes());
	}

	/** Part of readiness: a logger that cannot write must not take events. */
	@Bean
	HealthIndicator logDirectory(EventLog log) {
		return () -> {
			boolean writable = Files.isDirectory(log.directory()) && Files.isWritable(log.directory());
			return (writable ? Health.up() : Health.down()).withDetail("directory", log.directory().toString())
				.withDetail("lastSeq", log.lastSeq())
				.build();
		};
	}

}
