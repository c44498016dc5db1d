package dev.registro.contract;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.registro.contract.InvalidMessageException.Kind;

/**
 * Writes registrations as the contract's JSON and reads both body formats the system has
 * ever seen: that JSON, and the original Python producers' {@code str(dict)}. Reading is
 * strict: exactly the three original fields, each a valid string. Thread-safe.
 */
public final class RegistroCodec {

	/** Far above any real registration (about 80 bytes), far below anything harmful. */
	public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

	private static final String SERVICE_ID = "service_id";

	private static final String TIMESTAMP = "timestamp";

	private static final String ACTION = "action";

	private static final List<String> FIELDS = List.of(SERVICE_ID, TIMESTAMP, ACTION);

	private final int maxBodyBytes;

	public RegistroCodec() {
		this(DEFAULT_MAX_BODY_BYTES);
	}

	public RegistroCodec(int maxBodyBytes) {
		if (maxBodyBytes < 64) {
			throw new IllegalArgumentException("maxBodyBytes must be at least 64, was " + maxBodyBytes);
		}
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * The contract's JSON, UTF-8. Plain concatenation is safe: a {@link Registro} only
	 * holds a validated service id and a formatted timestamp, neither of which needs
	 * escaping.
	 */
	public byte[] encode(Registro registro) {
		String body = "{\"" + SERVICE_ID + "\":\"" + registro.serviceId() + "\",\"" + TIMESTAMP + "\":\""
				+ registro.formattedTimestamp() + "\",\"" + ACTION + "\":\"" + Registro.ACTION + "\"}";
		return body.getBytes(StandardCharsets.UTF_8);
	}

	public Registro decode(byte[] body) throws InvalidMessageException {
		Map<String, String> fields = FlatJson.read(body, this.maxBodyBytes, FIELDS, Set.of(), true);
		String serviceId = FlatJson.require(fields, SERVICE_ID);
		String timestamp = FlatJson.require(fields, TIMESTAMP);
		String action = FlatJson.require(fields, ACTION);
		if (!Registro.isValidServiceId(serviceId)) {
			throw new InvalidMessageException(Kind.INVALID_SERVICE_ID, Registro.describeServiceIdRule());
		}
		if (!Registro.ACTION.equals(action)) {
			throw new InvalidMessageException(Kind.INVALID_ACTION,
					"action must be '" + Registro.ACTION + "', was '" + FlatJson.abbreviate(action) + "'");
		}
		try {
			return new Registro(serviceId, LocalDateTime.parse(timestamp, Registro.TIMESTAMP_FORMAT));
		}
		catch (DateTimeParseException ex) {
			throw new InvalidMessageException(Kind.INVALID_TIMESTAMP,
					"timestamp must be a real date and time as yyyy-MM-dd HH:mm:ss, was '"
							+ FlatJson.abbreviate(timestamp) + "'");
		}
	}

}
