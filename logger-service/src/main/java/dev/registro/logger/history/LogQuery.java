package dev.registro.logger.history;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

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

	/** A service id whose JSON form is itself between quotes. */
	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]+");

	/** Text that stands in a line of JSON as it is (ASCII, nothing JSON escapes). */
	private static final Pattern PLAIN_TEXT = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]+");

	public LogQuery {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		text = (text == null || text.isBlank()) ? null : text.toLowerCase(Locale.ROOT);
		service = (service == null || service.isBlank()) ? null : service;
	}

	/** Whether only some events are asked for, so that a read may pass over many. */
	boolean filters() {
		return this.service != null || this.text != null;
	}

	boolean matches(StoredEvent event) {
		return (this.service == null || this.service.equals(event.serviceId()))
				&& (this.text == null || event.message().toLowerCase(Locale.ROOT).contains(this.text));
	}

	/**
	 * What a read looks for in the bytes of each line before parsing it, worked out once
	 * for the read.
	 */
	LinePrefilter linePrefilter() {
		byte[] service = (this.service != null && PLAIN_ID.matcher(this.service).matches())
				? ("\"service_id\":\"" + this.service + "\"").getBytes(StandardCharsets.US_ASCII) : null;
		byte[] text = (this.text != null && PLAIN_TEXT.matcher(this.text).matches())
				? this.text.getBytes(StandardCharsets.US_ASCII) : null;
		return new LinePrefilter(service, text);
	}

	/**
	 * Whether a line of the history may hold a matching event, from its bytes alone:
	 * false only where it certainly cannot, so that most lines of a filtered read are
	 * passed over without being parsed. A line with anything but ASCII is always parsed
	 * for a text: Java's lower case maps a few other letters to ASCII ones (the Kelvin
	 * sign to k).
	 *
	 * @param service the service id's JSON field as it stands in a line, or null to parse
	 * every line for it
	 * @param text the lower-case text, or null to parse every line for it
	 */
	record LinePrefilter(byte[] service, byte[] text) {

		boolean mayMatch(byte[] line) {
			if (this.service != null && indexOf(line, this.service, false) < 0) {
				return false;
			}
			return this.text == null || !ascii(line) || indexOf(line, this.text, true) >= 0;
		}

	}

	private static boolean ascii(byte[] line) {
		for (byte b : line) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Where {@code needle} starts in {@code line}, ASCII letters in any case if asked.
	 */
	private static int indexOf(byte[] line, byte[] needle, boolean ignoreCase) {
		outer: for (int i = 0; i <= line.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				byte b = line[i + j];
				if (ignoreCase && b >= 'A' && b <= 'Z') {
					b += 'a' - 'A';
				}
				if (b != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
