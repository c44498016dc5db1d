package dev.registro.logger.history;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The readable form of a time, as the original system wrote it:
 * {@code 2025-04-10 13:26:02}.
 */
public final class Times {

	private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

	private Times() {
	}

	public static String readable(Instant instant, ZoneId zone) {
		return READABLE.format(instant.atZone(zone));
	}

}
