package dev.registro.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import dev.registro.contract.InvalidRegistroException.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Writes registrations as the contract's JSON and reads both body formats the system has ever
 * seen: that JSON, and the original Python producers' {@code str(dict)}, which is the same
 * flat object written with single quotes.
 *
 * <p>Reading is a single streaming pass over a flat object: a nested value is refused at its
 * first token, so neither a deep nor a large body costs more than its size. Thread-safe.
 */
public final class RegistroCodec {

	/** Far above any real registration (about 80 bytes), far below anything harmful. */
	public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

	private static final String SERVICE_ID = "service_id";

	private static final String TIMESTAMP = "timestamp";

	private static final String ACTION = "action";

	private final JsonFactory json = JsonFactory.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

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
	 * The contract's JSON, UTF-8. Plain concatenation is safe: a {@link Registro} only holds a
	 * validated service id and a formatted timestamp, neither of which needs escaping.
	 */
	public byte[] encode(Registro registro) {
		String body = "{\"" + SERVICE_ID + "\":\"" + registro.serviceId() + "\",\"" + TIMESTAMP + "\":\""
				+ registro.formattedTimestamp() + "\",\"" + ACTION + "\":\"" + Registro.ACTION + "\"}";
		return body.getBytes(StandardCharsets.UTF_8);
	}

	public Registro decode(byte[] body) throws InvalidRegistroException {
		if (body == null || body.length == 0) {
			throw new InvalidRegistroException(Kind.MALFORMED, "body is empty");
		}
		if (body.length > this.maxBodyBytes) {
			throw new InvalidRegistroException(Kind.TOO_LARGE,
					"body is " + body.length + " bytes, more than the limit of " + this.maxBodyBytes);
		}
		String text = decodeUtf8(body);
		try (JsonParser parser = this.json.createParser(ObjectReadContext.empty(), text)) {
			return readObject(parser);
		}
		catch (JacksonException ex) {
			throw new InvalidRegistroException(Kind.MALFORMED,
					"body is neither JSON nor a Python dict: " + ex.getOriginalMessage());
		}
	}

	private static String decodeUtf8(byte[] body) throws InvalidRegistroException {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidRegistroException(Kind.NOT_UTF8, "body is not valid UTF-8");
		}
	}

	private static Registro readObject(JsonParser parser) throws InvalidRegistroException {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			throw new InvalidRegistroException(Kind.MALFORMED, "body is not an object");
		}
		String serviceId = null;
		String timestamp = null;
		String action = null;
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken value = parser.nextToken();
			switch (name) {
				case SERVICE_ID -> serviceId = readString(parser, value, name, serviceId);
				case TIMESTAMP -> timestamp = readString(parser, value, name, timestamp);
				case ACTION -> action = readString(parser, value, name, action);
				default -> throw new InvalidRegistroException(Kind.UNKNOWN_FIELD,
						"unknown field '" + abbreviate(name) + "'; expected service_id, timestamp and action");
			}
		}
		if (parser.currentToken() != JsonToken.END_OBJECT) {
			throw new InvalidRegistroException(Kind.MALFORMED, "object is not closed");
		}
		if (parser.nextToken() != null) {
			throw new InvalidRegistroException(Kind.MALFORMED, "content after the object");
		}
		return toRegistro(serviceId, timestamp, action);
	}

	private static String readString(JsonParser parser, JsonToken value, String name, String previous)
			throws InvalidRegistroException {
		if (previous != null) {
			throw new InvalidRegistroException(Kind.DUPLICATE_FIELD, "field '" + name + "' appears twice");
		}
		if (value != JsonToken.VALUE_STRING) {
			throw new InvalidRegistroException(Kind.WRONG_TYPE,
					"field '" + name + "' must be a string, was " + describe(value));
		}
		return parser.getString();
	}

	private static Registro toRegistro(String serviceId, String timestamp, String action)
			throws InvalidRegistroException {
		if (serviceId == null || timestamp == null || action == null) {
			throw new InvalidRegistroException(Kind.MISSING_FIELD, "missing field '"
					+ (serviceId == null ? SERVICE_ID : timestamp == null ? TIMESTAMP : ACTION) + "'");
		}
		if (!Registro.isValidServiceId(serviceId)) {
			throw new InvalidRegistroException(Kind.INVALID_SERVICE_ID, Registro.describeServiceIdRule());
		}
		if (!Registro.ACTION.equals(action)) {
			throw new InvalidRegistroException(Kind.INVALID_ACTION,
					"action must be '" + Registro.ACTION + "', was '" + abbreviate(action) + "'");
		}
		try {
			return new Registro(serviceId, LocalDateTime.parse(timestamp, Registro.TIMESTAMP_FORMAT));
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRegistroException(Kind.INVALID_TIMESTAMP,
					"timestamp must be a real date and time as yyyy-MM-dd HH:mm:ss, was '" + abbreviate(timestamp) + "'");
		}
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.name();
		};
	}

	/** Echo at most a short, printable prefix of what the producer sent. */
	private static String abbreviate(String value) {
		StringBuilder out = new StringBuilder();
		value.codePoints().limit(40).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
		return (value.codePointCount(0, value.length()) > 40) ? out + "…" : out.toString();
	}

}
