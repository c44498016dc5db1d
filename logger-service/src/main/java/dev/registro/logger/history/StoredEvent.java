package dev.registro.logger.history;

import java.time.Instant;
import java.time.ZoneId;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the history file, and one event of the JSON form: an event as published by
 * a service, with the sequence number and arrival time the logger gave it. A malformed
 * event is kept too, marked by {@code rejected} (why) and {@code raw} (the start of what
 * was sent).
 *
 * @param seq position in the whole history, increasing by one per event, never reused
 * @param received when the logger received it
 * @param eventId the AMQP message id of the event, as published
 * @param serviceId the service the event is about ({@code unknown} for a malformed event
 * from an unnamed publisher)
 * @param time when it happened, as the service said
 * @param level INFO, WARN or ERROR
 * @param message for people
 * @param messageId the registration it is about, if any
 * @param rejected for a malformed event, why it could not be read; null otherwise
 * @param raw for a malformed event, the start of its body; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredEvent(long seq, Instant received, @JsonProperty("event_id") String eventId,
		@JsonProperty("service_id") String serviceId, Instant time, String level, String message,
		@JsonProperty("message_id") String messageId, String rejected, String raw) {

	/**
	 * The event as the original's logger wrote it:
	 * {@code [2025-04-10 13:26:02] - Servicio: app1 - Mensaje: …}.
	 */
	public String originalLine(ZoneId zone) {
		return "[" + Times.readable(this.time, zone) + "] - Servicio: " + this.serviceId + " - Mensaje: "
				+ this.message.replace('\n', ' ').replace('\r', ' ');
	}

}
