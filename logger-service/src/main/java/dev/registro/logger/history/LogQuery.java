package dev.registro.logger.history;

import java.util.Locale;

/**
 * What to read from the history, newest first.
 *
 * @param service only events of this service id, or all when null
 * @param text only events whose message contains this, ignoring case, or all when null
 * @param after only events with a greater sequence number (a cursor: what is new since)
 * @param before only events with a smaller sequence number (the next page of older
 * events)
 * @param limit at most this many events
 */
public record LogQuery(String service, String text, Long after, Long before, int limit) {

	public LogQuery {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		text = (text == null || text.isBlank()) ? null : text.toLowerCase(Locale.ROOT);
		service = (service == null || service.isBlank()) ? null : service;
	}

	boolean matches(StoredEvent event) {
		return (this.service == null || this.service.equals(event.serviceId()))
				&& (this.text == null || event.message().toLowerCase(Locale.ROOT).contains(this.text));
	}

}
