package dev.registro.contract;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.registro.contract.InvalidMessageException.Kind;

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

	/** Far above any real event, far below anything harmful. */
	public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

	/**
	 * A service publishes an event again, with the same id, until the broker confirms it,
	 * but never later than this long after the event's {@code time}: long enough to ride
	 * out a broker restart. The logger remembers the ids of events this long (and some
	 * clock skew) behind the newest it has, so that a copy is written once. One constant,
	 * so that the two agree.
	 */
	public static final Duration REDELIVERY_HORIZON = Duration.ofMinutes(10);

	private static final JsonFactory JSON = JsonFactory.builder().build();

	static final List<String> FIELDS = List.of("service_id", "time", "level", "message", "message_id");

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
		return encode(null);
	}

	/**
	 * The event as UTF-8 JSON, with its {@code event_id} when one is given (an event of a
	 * {@link LogBatch}).
	 */
	byte[] encode(String eventId) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(160 + this.message.length());
		try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			if (eventId != null) {
				json.writeStringProperty("event_id", eventId);
			}
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

	/**
	 * Reads an event as {@link #encode()} writes it. Fields this version does not know
	 * are skipped, so that a newer publisher can add some; {@code message_id} may be
	 * missing or null.
	 */
	public static LogEvent decode(byte[] body, int maxBodyBytes) throws InvalidMessageException {
		return of(FlatJson.read(body, maxBodyBytes, FIELDS, Set.of("message_id"), false));
	}

	/** The event the fields of a decoded object describe. */
	static LogEvent of(Map<String, String> fields) throws InvalidMessageException {
		String serviceId = FlatJson.require(fields, "service_id");
		String time = FlatJson.require(fields, "time");
		String level = FlatJson.require(fields, "level");
		String message = FlatJson.require(fields, "message");
		if (!Registro.isValidServiceId(serviceId)) {
			throw new InvalidMessageException(Kind.INVALID_SERVICE_ID, Registro.describeServiceIdRule());
		}
		Instant instant;
		try {
			instant = Instant.parse(time);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidMessageException(Kind.INVALID_TIMESTAMP,
					"time must be an ISO-8601 instant such as 2026-11-29T12:00:00.123Z, was '"
							+ FlatJson.abbreviate(time) + "'");
		}
		Level parsedLevel;
		try {
			parsedLevel = Level.valueOf(level);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidMessageException(Kind.INVALID_LEVEL,
					"level must be INFO, WARN or ERROR, was '" + FlatJson.abbreviate(level) + "'");
		}
		return new LogEvent(serviceId, instant, parsedLevel, message, fields.get("message_id"));
	}

}
