package dev.registro.contract;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.registro.contract.InvalidMessageException.Kind;

/**
 * Several events of one service in one message to the {@code logs} exchange, of type
 * {@value #TYPE}: one line of JSON per event, each a {@link LogEvent} with its own
 * {@code event_id} first,
 * {@code {"event_id":"…","service_id":"app1","time":"…","level":"INFO","message":"…","message_id":"…"}}.
 * A batch halves what a registration costs the broker: its log event travels with the
 * others of the same few milliseconds, still under an id of its own, so that the logger
 * writes each event once however often its batch is delivered.
 */
public final class LogBatch {

	/** The AMQP type of a batch; a message of any other type is one event. */
	public static final String TYPE = "log-batch";

	/** The longest event id taken. */
	static final int MAX_EVENT_ID_LENGTH = 128;

	private static final List<String> FIELDS = Stream.concat(Stream.of("event_id"), LogEvent.FIELDS.stream()).toList();

	private LogBatch() {
	}

	/** An event of a batch, with its id. */
	public record Entry(String eventId, LogEvent event) {
	}

	/**
	 * A line of a batch as read: its entry, or why it could not be read and its bytes.
	 */
	public record Line(Entry entry, InvalidMessageException invalid, byte[] raw) {
	}

	/** The line of one entry, newline included: a batch's body is its entries' lines. */
	public static byte[] line(Entry entry) {
		byte[] json = entry.event().encode(entry.eventId());
		byte[] line = Arrays.copyOf(json, json.length + 1);
		line[json.length] = '\n';
		return line;
	}

	/** The body of a batch of these lines. */
	public static byte[] body(List<byte[]> lines) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(lines.stream().mapToInt(line -> line.length).sum());
		lines.forEach(out::writeBytes);
		return out.toByteArray();
	}

	/**
	 * Reads a batch: each non-empty line an entry, or the reason it cannot be read, so
	 * that one bad line costs only itself.
	 */
	public static List<Line> decode(byte[] body, int maxEventBytes) throws InvalidMessageException {
		if (body == null || body.length == 0) {
			throw new InvalidMessageException(Kind.MALFORMED, "body is empty");
		}
		List<Line> lines = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= body.length; i++) {
			if (i < body.length && body[i] != '\n') {
				continue;
			}
			if (i > start) {
				lines.add(read(Arrays.copyOfRange(body, start, i), maxEventBytes));
			}
			start = i + 1;
		}
		if (lines.isEmpty()) {
			throw new InvalidMessageException(Kind.MALFORMED, "a batch without events");
		}
		return lines;
	}

	private static Line read(byte[] raw, int maxEventBytes) {
		try {
			Map<String, String> fields = FlatJson.read(raw, maxEventBytes, FIELDS, Set.of("message_id"), false);
			String eventId = FlatJson.require(fields, "event_id");
			if (eventId.isBlank() || eventId.length() > MAX_EVENT_ID_LENGTH) {
				throw new InvalidMessageException(Kind.MALFORMED,
						"event_id must be 1 to " + MAX_EVENT_ID_LENGTH + " characters");
			}
			return new Line(new Entry(eventId, LogEvent.of(fields)), null, raw);
		}
		catch (InvalidMessageException ex) {
			return new Line(null, ex, raw);
		}
	}

}
