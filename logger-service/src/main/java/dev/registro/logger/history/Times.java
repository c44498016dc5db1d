package dev.registro.logger.history;

import java.time.Instant;
import java.time.ZoneId;

import dev.registro.contract.Registro;

/**
 * The readable form of a time, as the original system wrote it:
 * {@code 2025-04-10 13:26:02}.
 */
public final class Times {

	private Times() {
	}

	public static String readable(Instant instant, ZoneId zone) {
		return Registro.TIMESTAMP_FORMAT.format(instant.atZone(zone));
	}

}
