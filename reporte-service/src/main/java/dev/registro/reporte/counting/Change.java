package dev.registro.reporte.counting;

import java.time.LocalDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What one batch changed, as the counting instance decided it: the registrations it
 * counted and the messages it rejected, each with its message id, so that applying a
 * change again, or a copy of a message already applied, counts nothing twice.
 *
 * @param source who counted the batch: the consumer it came through (and, for a change
 * shared through the changelog, the instance); a new source means messages the previous
 * one held may come back late
 * @param counted the registrations counted
 * @param rejected the ids of the messages sent to the dead-letter queue
 * @param rejectedWithoutId how many messages without an id were sent there
 */
record Change(String source, List<Registration> counted, List<String> rejected, int rejectedWithoutId) {

	Change {
		counted = List.copyOf(counted);
		rejected = List.copyOf(rejected);
	}

	/**
	 * One registration counted; written as a three-element array to keep change records
	 * small.
	 *
	 * @param service the service id
	 * @param at its timestamp, written in the registrations' own form
	 * {@code yyyy-MM-dd HH:mm:ss}
	 * @param id its message id, or {@code null} (the original's producers set none)
	 */
	@JsonFormat(shape = JsonFormat.Shape.ARRAY)
	record Registration(String service, @JsonFormat(pattern = "uuuu-MM-dd HH:mm:ss") LocalDateTime at, String id) {
	}

}
