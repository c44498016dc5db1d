package dev.registro.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.registro.contract.InvalidMessageException.Kind;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Reads the only shape registro's messages have: one flat object of string fields, as
 * JSON or as the original Python producers' {@code str(dict)} (the same object in single
 * quotes).
 *
 * <p>
 * A single streaming pass: a nested value is refused at its first token, so neither a
 * deep nor a large body costs more than its size, and nothing is built but the map of
 * strings.
 */
final class FlatJson {

	private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

	private FlatJson() {
	}

	/**
	 * The known string fields of the object in {@code body}. A field in {@code nullable}
	 * may be {@code null} (then it maps to null); other fields not in {@code known} are
	 * refused when {@code refuseUnknown}, skipped otherwise.
	 */
	static Map<String, String> read(byte[] body, int maxBytes, List<String> known, Set<String> nullable,
			boolean refuseUnknown) throws InvalidMessageException {
		if (body == null || body.length == 0) {
			throw new InvalidMessageException(Kind.MALFORMED, "body is empty");
		}
		if (body.length > maxBytes) {
			throw new InvalidMessageException(Kind.TOO_LARGE,
					"body is " + body.length + " bytes, more than the limit of " + maxBytes);
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), decodeUtf8(body))) {
			return readObject(parser, known, nullable, refuseUnknown);
		}
		catch (JacksonException ex) {
			throw new InvalidMessageException(Kind.MALFORMED,
					"body is neither JSON nor a Python dict: " + ex.getOriginalMessage());
		}
	}

	/** The named field, which must be there. */
	static String require(Map<String, String> fields, String name) throws InvalidMessageException {
		if (!fields.containsKey(name)) {
			throw new InvalidMessageException(Kind.MISSING_FIELD, "missing field '" + name + "'");
		}
		return fields.get(name);
	}

	/**
	 * At most a short, printable prefix of what a producer sent, to quote in a reason.
	 */
	static String abbreviate(String value) {
		StringBuilder out = new StringBuilder();
		value.codePoints().limit(40).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
		return (value.codePointCount(0, value.length()) > 40) ? out + "…" : out.toString();
	}

	private static String decodeUtf8(byte[] body) throws InvalidMessageException {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidMessageException(Kind.NOT_UTF8, "body is not valid UTF-8");
		}
	}

	private static Map<String, String> readObject(JsonParser parser, List<String> known, Set<String> nullable,
			boolean refuseUnknown) throws InvalidMessageException {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			throw new InvalidMessageException(Kind.MALFORMED, "body is not an object");
		}
		Map<String, String> fields = new HashMap<>();
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken value = parser.nextToken();
			if (!known.contains(name)) {
				if (refuseUnknown) {
					throw new InvalidMessageException(Kind.UNKNOWN_FIELD,
							"unknown field '" + abbreviate(name) + "'; expected " + String.join(", ", known));
				}
				parser.skipChildren();
				continue;
			}
			if (fields.containsKey(name)) {
				throw new InvalidMessageException(Kind.DUPLICATE_FIELD, "field '" + name + "' appears twice");
			}
			if (value == JsonToken.VALUE_NULL && nullable.contains(name)) {
				fields.put(name, null);
			}
			else if (value == JsonToken.VALUE_STRING) {
				fields.put(name, parser.getString());
			}
			else {
				throw new InvalidMessageException(Kind.WRONG_TYPE,
						"field '" + name + "' must be a string, was " + describe(value));
			}
		}
		if (parser.currentToken() != JsonToken.END_OBJECT) {
			throw new InvalidMessageException(Kind.MALFORMED, "object is not closed");
		}
		if (parser.nextToken() != null) {
			throw new InvalidMessageException(Kind.MALFORMED, "content after the object");
		}
		return fields;
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

}
