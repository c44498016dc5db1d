package dev.registro.panel.dashboard;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.registro.contract.Registro;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.ServiceCount;

/** What the other parts answer the panel, as they send it. */
final class PartAnswers {

	private PartAnswers() {
	}

	/** reporte's {@code /reportes/resumen}. */
	record Summary(long total, long rejected, List<ServiceSummary> services) {

		List<ServiceCount> counts() {
			return this.services.stream()
				.map(service -> new ServiceCount(service.serviceId(), service.count(), service.lastRegistration()))
				.toList();
		}

	}

	record ServiceSummary(@JsonProperty("service_id") String serviceId, long count,
			@JsonProperty("last_registration") String lastRegistration) {
	}

	/** The part of the logger's JSON page the panel uses. */
	record LoggerPage(List<LoggerEvent> events) {

		List<LogLine> lines(ZoneId zone) {
			return this.events.stream().map(event -> event.line(zone)).toList();
		}

	}

	record LoggerEvent(long seq, Instant time, @JsonProperty("service_id") String serviceId, String level,
			String message, @JsonProperty("message_id") String messageId) {

		LogLine line(ZoneId zone) {
			return new LogLine(this.seq, Registro.TIMESTAMP_FORMAT.withZone(zone).format(this.time), this.serviceId,
					this.level, this.message, this.messageId);
		}

	}

}
