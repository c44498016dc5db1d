package dev.registro.contract;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One event of a service's history, as published to the {@code logs} fanout exchange:
 * {@code {"service_id":"app1","time":"2026-11-29T12:00:00.123Z","level":"INFO","message":"…","message_id":"…"}}.
 *
 * @param serviceId the service the event is about
 * @param time when it happened, to the millisecond
 * @param level how serious it is
 * @param message for people
 * @param messageId the registration message it is about, or {@code null}
 */
public record LogEvent(String serviceId, Instant time, Level level, String message, String messageId) {

	/** How serious an event is. */
	public enum Level {

		INFO, WARN, ERROR

	}

	private static final JsonFactory JSON = JsonFactory.builder().build();

	public LogEvent {
		if (!Registro.isValidServiceId(serviceId)) {
			throw new IllegalArgumentException(Registro.describeServiceIdRule());
		}
		time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MILLIS);
		Objects.requireNonNull(level, "level");
		Objects.requireNonNull(message, "message");
	}

	/** The event as UTF-8 JSON; {@code message_id} is left out when there is none. */
	public byte[] encode() {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128 + this.message.length());
		try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			json.writeStringProperty("service_id", this.serviceId);
			json.writeStringProperty("time", this.time.toString());
			json.writeStringProperty("level", this.level.name());
			json.writeStringProperty("message", this.message);
			if (this.messageId != null) {
				json.writeStringProperty("message_id", this.messageId);
			}
			json.writeEndObject();
		}
		return out.toByteArray();
	}

}
