package dev.registro.logger.history;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Events read from the history, newest first.
 *
 * @param events the events
 * @param cursor the newest sequence number in the whole history when it was read: ask
 * with {@code after=cursor} for what came since
 * @param nextBefore ask with {@code before=nextBefore} for the next page of older events;
 * null when there are none
 */
public record LogPage(List<StoredEvent> events, long cursor, @JsonProperty("next_before") Long nextBefore) {
}
