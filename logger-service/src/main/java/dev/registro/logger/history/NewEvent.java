package dev.registro.logger.history;

import java.time.Instant;

/**
 * An event on its way into the history, before the log numbers it. See
 * {@link StoredEvent} for the fields.
 */
public record NewEvent(String eventId, String serviceId, Instant time, String level, String message, String messageId,
		String rejected, String raw) {

	StoredEvent numbered(long seq, Instant received) {
		return new StoredEvent(seq, received, this.eventId, this.serviceId, this.time, this.level, this.message,
				this.messageId, this.rejected, this.raw);
	}

}
