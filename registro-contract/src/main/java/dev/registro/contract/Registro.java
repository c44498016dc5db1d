package dev.registro.contract;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One registration: a service said it is active at a moment. On the wire it is
 * {@code {"service_id":"app1","timestamp":"2026-11-29 12:00:00","action":"registro"}}.
 *
 * @param serviceId who registered, see {@link #isValidServiceId(String)}
 * @param timestamp when, to the second, in the producer's local time (as the original
 * did)
 */
public record Registro(String serviceId, LocalDateTime timestamp) {

	/** The only action the original system ever sent. */
	public static final String ACTION = "registro";

	/** {@code yyyy-MM-dd HH:mm:ss}, strict: no 24:00, no February 30. */
	public static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
		.withResolverStyle(ResolverStyle.STRICT);

	public static final int MAX_SERVICE_ID_LENGTH = 64;

	private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_SERVICE_ID_LENGTH + "}");

	public Registro {
		if (!isValidServiceId(serviceId)) {
			throw new IllegalArgumentException(describeServiceIdRule());
		}
		timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.SECONDS);
	}

	public static boolean isValidServiceId(String candidate) {
		return candidate != null && SERVICE_ID.matcher(candidate).matches();
	}

	static String describeServiceIdRule() {
		return "service_id must be 1 to " + MAX_SERVICE_ID_LENGTH + " characters of letters, digits, '.', '_' or '-'";
	}

	/** The timestamp as it travels: {@code 2026-11-29 12:00:00}. */
	public String formattedTimestamp() {
		return TIMESTAMP_FORMAT.format(this.timestamp);
	}

}
