package dev.registro.logger.history;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.registro.contract.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history on disk: a directory of segment files of one JSON event per line, appended
 * to and never rewritten. A segment is named after the sequence number of its first event
 * ({@code events-00000000000000000001.jsonl}); when the newest passes the size limit, the
 * next event starts a new one, and the oldest beyond the kept count are deleted.
 *
 * <p>
 * One writer ({@link #append}) at a time; any number of readers, which never see a line
 * that is not complete. The ids of the events a copy of which may still come are
 * remembered ({@link EventIds}, read back from the end of the history on opening), so
 * that an event delivered again, after a crash or because its service published it again,
 * is written once. Reading goes from the end of the newest segment backwards and stops as
 * soon as it has what it was asked for, so its cost does not grow with the history.
 */
public class EventLog implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(EventLog.class);

	private static final Pattern SEGMENT = Pattern.compile("events-(\\d{19})\\.jsonl");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** How every line {@link #append} writes begins, before its sequence number. */
	private static final byte[] SEQ_PREFIX = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);

	/** How far the clocks of the services and the logger may disagree. */
	static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

	/**
	 * How far behind the newest event an event's id is remembered: as long as a service
	 * may publish a copy of it, and the clocks' disagreement.
	 */
	public static final Duration REDELIVERY_WINDOW = LogEvent.REDELIVERY_HORIZON.plus(CLOCK_SKEW);

	private final Path directory;

	private final long maxSegmentBytes;

	private final int maxSegments;

	private final boolean fsync;

	private final Clock clock;

	private FileChannel current;

	private long currentSize;

	private volatile long lastSeq;

	private long bytesWritten;

	private long duplicatesSkipped;

	private final Duration redeliveryWindow;

	private final long filteredScanBytes;

	private final EventIds recentIds;

	/**
	 * Opens the history in {@code directory}, creating it if needed. A line left
	 * half-written by a crash is cut off: its event was never acknowledged, so the broker
	 * delivers it again.
	 */
	public EventLog(Path directory, long maxSegmentBytes, int maxSegments, boolean fsync, Clock clock,
			Duration redeliveryWindow, long filteredScanBytes) throws IOException {
		if (maxSegmentBytes < 1024 || maxSegments < 1) {
			throw new IllegalArgumentException("segments must be at least 1 KiB and at least one must be kept");
		}
		this.directory = directory;
		this.maxSegmentBytes = maxSegmentBytes;
		this.maxSegments = maxSegments;
		this.fsync = fsync;
		this.clock = clock;
		this.redeliveryWindow = redeliveryWindow;
		this.filteredScanBytes = filteredScanBytes;
		this.recentIds = new EventIds(redeliveryWindow);
		Files.createDirectories(directory);
		List<Segment> segments = segments();
		if (segments.isEmpty()) {
			this.lastSeq = 0;
			openNewSegment(1);
		}
		else {
			Segment newest = segments.get(segments.size() - 1);
			this.current = FileChannel.open(newest.path(), StandardOpenOption.WRITE, StandardOpenOption.READ);
			long end = ReverseLines.endOfLastLine(this.current, this.current.size());
			this.current.truncate(end);
			this.current.position(end);
			this.currentSize = end;
			this.lastSeq = recoverLastSeq(segments);
			rememberRecentIds(segments);
		}
	}

	/** The sequence number of the newest event, 0 when there is none. */
	public long lastSeq() {
		return this.lastSeq;
	}

	/**
	 * Events skipped because the history already had them (delivered again after a
	 * crash).
	 */
	public synchronized long duplicatesSkipped() {
		return this.duplicatesSkipped;
	}

	/** Bytes appended since this log was opened. */
	public synchronized long bytesWritten() {
		return this.bytesWritten;
	}

	public Path directory() {
		return this.directory;
	}

	/**
	 * Numbers the events, appends them, and returns once they are written (and, with
	 * fsync, on the disk). All or none: should writing fail, the file is cut back to
	 * where it was.
	 */
	public synchronized List<StoredEvent> append(List<NewEvent> events) throws IOException {
		List<StoredEvent> stored = new ArrayList<>(events.size());
		StringBuilder lines = new StringBuilder(events.size() * 256);
		Set<String> batchIds = new HashSet<>();
		long seq = this.lastSeq;
		Instant received = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		for (NewEvent event : events) {
			String id = event.eventId();
			if (id != null && (this.recentIds.contains(id) || !batchIds.add(id))) {
				this.duplicatesSkipped++;
				continue;
			}
			StoredEvent numbered = event.numbered(++seq, received);
			stored.add(numbered);
			lines.append(JSON.writeValueAsString(numbered)).append('\n');
		}
		if (stored.isEmpty()) {
			return List.of();
		}
		byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
		if (this.currentSize > 0 && this.currentSize + bytes.length > this.maxSegmentBytes) {
			rotate(this.lastSeq + 1);
		}
		long before = this.currentSize;
		try {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				this.current.write(buffer);
			}
			if (this.fsync) {
				this.current.force(false);
			}
		}
		catch (IOException ex) {
			this.current.truncate(before);
			this.current.position(before);
			throw ex;
		}
		this.currentSize = before + bytes.length;
		this.bytesWritten += bytes.length;
		this.lastSeq = seq;
		stored.forEach(event -> this.recentIds.add(event.eventId(), windowTime(event)));
		return stored;
	}

	/**
	 * The events the query asks for, newest first, reading only as far back as needed.
	 * The cursor is the newest event in the history when the read began, and the read
	 * ends there: an event appended meanwhile is neither returned nor passed over, so a
	 * poller that asks for what is {@code after} the cursor sees each event exactly once.
	 */
	public LogPage read(LogQuery query) throws IOException {
		List<Segment> segments = segments();
		List<StoredEvent> found = new ArrayList<>(Math.min(query.limit(), 1024));
		Scan scan = new Scan(query.filters() ? this.filteredScanBytes : Long.MAX_VALUE);
		LogQuery.LinePrefilter prefilter = query.linePrefilter();
		long cursor = (segments.isEmpty()) ? 0 : segments.get(segments.size() - 1).firstSeq() - 1;
		boolean cursorFound = false;
		for (int i = segments.size() - 1; i >= 0 && found.size() <= query.limit(); i--) {
			Segment segment = segments.get(i);
			try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
				long end = channel.size();
				if (!cursorFound) {
					Long newest = newestSeq(channel, end);
					if (newest == null) {
						// empty (just rotated): the newest event is in an older segment
						continue;
					}
					cursor = newest;
					cursorFound = true;
				}
				if (query.before() != null && segment.firstSeq() >= query.before()) {
					continue;
				}
				if (!readSegment(channel, end, query, prefilter, found, scan) || scan.spent()) {
					break;
				}
			}
			catch (NoSuchFileException ex) {
				// deleted by rotation while being read: it held only events older than
				// those kept
			}
		}
		Long nextBefore = null;
		if (found.size() > query.limit()) {
			found.remove(found.size() - 1);
			nextBefore = found.get(found.size() - 1).seq();
		}
		else if (scan.spent()) {
			// Fewer than asked, and older events not looked at: the next page goes on
			// from the oldest looked at.
			nextBefore = scan.oldestSeq;
		}
		return new LogPage(List.copyOf(found), cursor, nextBefore);
	}

	/**
	 * The sequence number of the last complete event before {@code end}, or null if there
	 * is none.
	 */
	private static Long newestSeq(FileChannel channel, long end) throws IOException {
		Long[] seq = { null };
		ReverseLines.read(channel, end, line -> {
			StoredEvent event = parse(line);
			if (event == null) {
				return true;
			}
			seq[0] = event.seq();
			return false;
		});
		return seq[0];
	}

	/**
	 * Scans a segment backwards from {@code end}; false once nothing older can match (the
	 * cursor is reached).
	 */
	private static boolean readSegment(FileChannel channel, long end, LogQuery query, LogQuery.LinePrefilter prefilter,
			List<StoredEvent> found, Scan scan) throws IOException {
		boolean[] goOn = { true };
		ReverseLines.read(channel, end, line -> {
			boolean mayMatch = prefilter.mayMatch(line);
			Long seq = mayMatch ? null : leadingSeq(line);
			StoredEvent event = null;
			if (seq == null) {
				event = parse(line);
				if (event == null) {
					return true;
				}
				seq = event.seq();
			}
			if (query.after() != null && seq <= query.after()) {
				goOn[0] = false;
				return false;
			}
			if (query.before() != null && seq >= query.before()) {
				return true;
			}
			scan.looked(line.length + 1, seq);
			if (event != null && query.matches(event)) {
				found.add(event);
			}
			// One more than asked tells whether an older page exists.
			return found.size() <= query.limit() && !scan.spent();
		});
		return goOn[0];
	}

	/**
	 * The sequence number a line of the history starts with ({@code {"seq":42,}), as
	 * {@link #append} writes them, without parsing the rest; null for any other line.
	 */
	static Long leadingSeq(byte[] line) {
		int length = SEQ_PREFIX.length;
		if (line.length <= length || !Arrays.equals(line, 0, length, SEQ_PREFIX, 0, length)) {
			return null;
		}
		long seq = 0;
		int i = length;
		for (; i < line.length && line[i] >= '0' && line[i] <= '9' && i < length + 18; i++) {
			seq = seq * 10 + (line[i] - '0');
		}
		return (i > length && i < line.length && line[i] == ',') ? seq : null;
	}

	/**
	 * How much of the history a read has looked at, and the oldest event it looked at: a
	 * filtered read stops after {@code budget} bytes, so that a filter that matches
	 * nothing recent costs the same as one that does, not a scan of the whole history.
	 */
	private static final class Scan {

		private final long budget;

		private long bytes;

		private Long oldestSeq;

		Scan(long budget) {
			this.budget = budget;
		}

		void looked(int lineBytes, long seq) {
			this.bytes += lineBytes;
			this.oldestSeq = seq;
		}

		boolean spent() {
			return this.bytes >= this.budget;
		}

	}

	@Override
	public synchronized void close() throws IOException {
		this.current.close();
	}

	/**
	 * The event on a line, or null for a line that is not one (edited by hand, say): it
	 * is skipped.
	 */
	private static StoredEvent parse(byte[] line) {
		try {
			return JSON.readValue(line, StoredEvent.class);
		}
		catch (JacksonException ex) {
			log.warn("Skipping an unreadable line in the history: {}", ex.getOriginalMessage());
			return null;
		}
	}

	private void rotate(long nextSeq) throws IOException {
		this.current.close();
		openNewSegment(nextSeq);
		List<Segment> segments = segments();
		for (int i = 0; i < segments.size() - this.maxSegments; i++) {
			Files.deleteIfExists(segments.get(i).path());
		}
	}

	private void openNewSegment(long firstSeq) throws IOException {
		Path path = this.directory.resolve(String.format("events-%019d.jsonl", firstSeq));
		this.current = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.READ);
		this.currentSize = this.current.size();
		this.current.position(this.currentSize);
	}

	private long recoverLastSeq(List<Segment> segments) throws IOException {
		for (int i = segments.size() - 1; i >= 0; i--) {
			try (FileChannel channel = FileChannel.open(segments.get(i).path(), StandardOpenOption.READ)) {
				Long seq = newestSeq(channel, channel.size());
				if (seq != null) {
					return seq;
				}
			}
		}
		// Only empty segments: numbering goes on from where the newest one said it
		// starts.
		return segments.get(segments.size() - 1).firstSeq() - 1;
	}

	/**
	 * Reads back, from the end of the history, the ids of the events a copy of which may
	 * still come: those received within the redelivery window (and the clocks' skew) of
	 * the newest.
	 */
	private void rememberRecentIds(List<Segment> segments) throws IOException {
		// Straight into the ids, newest first: the events of ten busy minutes would not
		// fit in the heap as objects.
		Instant[] cutoff = { null };
		boolean[] goOn = { true };
		for (int i = segments.size() - 1; i >= 0 && goOn[0]; i--) {
			try (FileChannel channel = FileChannel.open(segments.get(i).path(), StandardOpenOption.READ)) {
				ReverseLines.read(channel, channel.size(), line -> {
					StoredEvent event = parse(line);
					if (event == null) {
						return true;
					}
					if (cutoff[0] == null) {
						cutoff[0] = event.received().minus(this.redeliveryWindow).minus(CLOCK_SKEW);
					}
					goOn[0] = !event.received().isBefore(cutoff[0]);
					if (goOn[0]) {
						this.recentIds.addEarlier(event.eventId(), windowTime(event));
					}
					return goOn[0];
				});
			}
		}
		log.info("Remembering the ids of {} events to recognise copies delivered again", this.recentIds.size());
	}

	/**
	 * The time by which an event's id is forgotten: its own, but never later than it was
	 * received (and the clocks' skew), so that a service with a clock far ahead cannot
	 * make the logger forget the others' ids.
	 */
	private static Instant windowTime(StoredEvent event) {
		Instant latest = event.received().plus(CLOCK_SKEW);
		return (event.time() == null || event.time().isAfter(latest)) ? latest : event.time();
	}

	private List<Segment> segments() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map(Segment::of)
				.filter(Objects::nonNull)
				.sorted(Comparator.comparingLong(Segment::firstSeq))
				.toList();
		}
	}

	private record Segment(Path path, long firstSeq) {

		static Segment of(Path path) {
			Matcher matcher = SEGMENT.matcher(path.getFileName().toString());
			return matcher.matches() ? new Segment(path, Long.parseLong(matcher.group(1))) : null;
		}

	}

}
