package dev.registro.logger.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTests {

	private static final Instant T0 = Instant.parse("2026-11-29T12:00:00.123Z");

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:01.456Z"), ZoneOffset.UTC);

	/** More than any history of these tests but those of the bounded filtered read. */
	private static final long FILTERED_SCAN_BYTES = 64L * 1024 * 1024;

	@TempDir
	Path directory;

	private EventLog log;

	@AfterEach
	void close() throws IOException {
		if (this.log != null) {
			this.log.close();
		}
	}

	@Test
	void keepsEveryFieldOfAnEventThroughTheFile() throws IOException {
		open(1 << 20, 4);
		NewEvent event = new NewEvent("e-1", "app1", T0, "INFO", "registration confirmed \"ñ\"\nsecond line", "m-1",
				null, null);
		NewEvent rejected = new NewEvent("e-2", "unknown", T0, "ERROR", "unreadable event: body is empty", null,
				"malformed", "{not json");

		this.log.append(List.of(event, rejected));

		assertThat(read(new LogQuery(null, null, null, null, 10)).events())
			.containsExactly(rejected.numbered(2, CLOCK.instant()), event.numbered(1, CLOCK.instant()));
	}

	@Test
	void writesOneJsonObjectPerLine() throws IOException {
		open(1 << 20, 4);
		this.log.append(List.of(event("app1", "one"), event("app2", "two")));

		List<String> lines = Files.readAllLines(onlySegment());

		assertThat(lines).hasSize(2);
		JsonNode first = JsonMapper.builder().build().readTree(lines.get(0));
		assertThat(first.get("seq").asLong()).isEqualTo(1);
		assertThat(first.get("service_id").asString()).isEqualTo("app1");
		assertThat(first.get("time").asString()).isEqualTo("2026-11-29T12:00:00.123Z");
		assertThat(first.get("received").asString()).isEqualTo("2026-11-29T12:00:01.456Z");
		assertThat(first.has("rejected")).isFalse();
	}

	@Test
	void numbersEventsInArrivalOrderAndReadsNewestFirst() throws IOException {
		open(1 << 20, 4);
		append(5);

		LogPage page = read(new LogQuery(null, null, null, null, 3));

		assertThat(page.events()).extracting(StoredEvent::seq).containsExactly(5L, 4L, 3L);
		assertThat(page.cursor()).isEqualTo(5);
		assertThat(page.nextBefore()).isEqualTo(3);
	}

	@Test
	void pagesBackThroughEveryEventAcrossFilesWithoutGapsOrRepeats() throws IOException {
		open(2048, 1000);
		append(300);
		assertThat(segments()).hasSizeGreaterThan(5);

		List<Long> seen = new ArrayList<>();
		Long before = null;
		do {
			LogPage page = read(new LogQuery(null, null, null, before, 7));
			page.events().forEach(event -> seen.add(event.seq()));
			before = page.nextBefore();
		}
		while (before != null);

		assertThat(seen)
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> (long) (301 - i)).toList());
	}

	@Test
	void rotatesBySizeAndKeepsOnlyTheConfiguredNumberOfFiles() throws IOException {
		open(2048, 3);
		append(500);

		assertThat(segments()).hasSize(3);
		assertThat(segments()).allSatisfy(path -> assertThat(Files.size(path)).isLessThanOrEqualTo(2048));
		List<StoredEvent> kept = read(new LogQuery(null, null, null, null, 1000)).events();
		assertThat(kept.get(0).seq()).isEqualTo(500);
		assertThat(kept).extracting(StoredEvent::seq).isSortedAccordingTo((a, b) -> Long.compare(b, a));
		assertThat(kept.get(kept.size() - 1).seq()).isGreaterThan(400);
	}

	@Test
	void filtersByServiceAndByTextIgnoringCase() throws IOException {
		open(2048, 100);
		for (int i = 1; i <= 60; i++) {
			this.log.append(List.of(event("app" + (i % 3 + 1), (i % 10 == 0) ? "Rejected a message " + i : "ok " + i)));
		}

		assertThat(read(new LogQuery("app2", null, null, null, 100)).events()).hasSize(20)
			.allSatisfy(event -> assertThat(event.serviceId()).isEqualTo("app2"));
		assertThat(read(new LogQuery(null, "REJECTED", null, null, 100)).events()).extracting(StoredEvent::message)
			.containsExactly("Rejected a message 60", "Rejected a message 50", "Rejected a message 40",
					"Rejected a message 30", "Rejected a message 20", "Rejected a message 10");
		assertThat(read(new LogQuery("app2", "rejected", null, null, 100)).events()).extracting(StoredEvent::seq)
			.containsExactly(40L, 10L);
	}

	@Test
	void aCursorReturnsOnlyWhatIsNewer() throws IOException {
		open(2048, 100);
		append(50);
		long cursor = read(new LogQuery(null, null, null, null, 1)).cursor();
		append(3);

		LogPage page = read(new LogQuery(null, null, cursor, null, 100));

		assertThat(page.events()).extracting(StoredEvent::seq).containsExactly(53L, 52L, 51L);
		assertThat(page.cursor()).isEqualTo(53);
		assertThat(read(new LogQuery(null, null, 53L, null, 100)).events()).isEmpty();
	}

	@Test
	void aPollerSeesEveryEventExactlyOnceWhileEventsArriveAndFilesRotate() throws Exception {
		open(4096, 1000);
		int total = 3000;
		Thread writer = new Thread(() -> {
			try {
				for (int written = 0; written < total;) {
					int batch = Math.min(1 + written % 7, total - written);
					List<NewEvent> events = new ArrayList<>();
					for (int i = 0; i < batch; i++) {
						events.add(event("app1", "event " + (written + i)));
					}
					this.log.append(events);
					written += batch;
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		writer.start();

		List<Long> seen = new ArrayList<>();
		long cursor = 0;
		while (writer.isAlive() || cursor < total) {
			// What is new since the cursor, page by page (newest first), then on from the
			// new cursor.
			LogPage page = read(new LogQuery(null, null, cursor, null, 50));
			List<Long> poll = new ArrayList<>(page.events().stream().map(StoredEvent::seq).toList());
			Long before = page.nextBefore();
			while (before != null) {
				LogPage older = read(new LogQuery(null, null, cursor, before, 50));
				older.events().forEach(event -> poll.add(event.seq()));
				before = older.nextBefore();
			}
			seen.addAll(poll);
			cursor = page.cursor();
		}
		writer.join();

		assertThat(seen).hasSize(total).doesNotHaveDuplicates();
		assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
	}

	@Test
	void writesACopyOnceAsLongAsItsServiceMayPublishItAgainHoweverManyEventsCameMeanwhile() throws IOException {
		MutableClock clock = new MutableClock(T0);
		this.log = new EventLog(this.directory, 1 << 20, 100, true, clock, EventLog.REDELIVERY_WINDOW,
				FILTERED_SCAN_BYTES);
		NewEvent original = new NewEvent("copied", "app1", T0, "INFO", "registration confirmed", "m-1", null, null);
		this.log.append(List.of(original));
		// Far more events than the old count-based memory held, all within the window.
		for (int i = 0; i < 25; i++) {
			List<NewEvent> batch = new ArrayList<>();
			for (int j = 0; j < 1000; j++) {
				batch.add(new NewEvent("e-" + i + "-" + j, "app2", T0.plus(Duration.ofSeconds(i * 10)), "INFO", "x",
						null, null, null));
			}
			this.log.append(batch);
		}

		assertThat(this.log.append(List.of(original))).isEmpty();

		// Once an event comes from past the window, no copy of the original can follow
		// any more.
		clock.advance(EventLog.REDELIVERY_WINDOW.plusSeconds(1));
		this.log.append(List.of(event("app2", "later", clock.instant())));
		assertThat(this.log.append(List.of(original))).hasSize(1);
		assertThat(this.log.duplicatesSkipped()).isEqualTo(1);
	}

	@Test
	void remembersAfterOpeningAgainTheIdsWhoseCopiesMayStillCome() throws IOException {
		MutableClock clock = new MutableClock(T0);
		this.log = new EventLog(this.directory, 4096, 100, true, clock, EventLog.REDELIVERY_WINDOW,
				FILTERED_SCAN_BYTES);
		NewEvent old = new NewEvent("old", "app1", T0, "INFO", "long ago", null, null, null);
		this.log.append(List.of(old));
		clock.advance(EventLog.REDELIVERY_WINDOW.plus(EventLog.CLOCK_SKEW).plusSeconds(1));
		NewEvent recent = new NewEvent("recent", "app1", clock.instant(), "INFO", "just now", null, null, null);
		this.log.append(List.of(event("app1", "filler", clock.instant()), recent));
		this.log.close();

		this.log = new EventLog(this.directory, 4096, 100, true, clock, EventLog.REDELIVERY_WINDOW,
				FILTERED_SCAN_BYTES);

		assertThat(this.log.append(List.of(recent))).isEmpty();
		assertThat(this.log.append(List.of(old))).hasSize(1);
	}

	@Test
	void keepsTheHistoryAndItsNumberingWhenOpenedAgain() throws IOException {
		open(2048, 100);
		append(40);
		this.log.close();

		open(2048, 100);
		append(2);

		List<StoredEvent> events = read(new LogQuery(null, null, null, null, 1000)).events();
		assertThat(events).hasSize(42);
		assertThat(events).extracting(StoredEvent::seq).startsWith(42L, 41L, 40L).endsWith(1L);
	}

	@Test
	void cutsOffALineACrashLeftHalfWritten() throws IOException {
		open(1 << 20, 4);
		append(3);
		this.log.close();
		Files.writeString(onlySegment(), "{\"seq\":4,\"received\":\"2026-11-29T", StandardOpenOption.APPEND);

		open(1 << 20, 4);
		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::seq)
			.containsExactly(3L, 2L, 1L);
		append(1);

		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::seq)
			.containsExactly(4L, 3L, 2L, 1L);
		assertThat(Files.readAllLines(onlySegment())).hasSize(4);
	}

	@Test
	void neverShowsALineThatIsStillBeingWritten() throws IOException {
		open(1 << 20, 4);
		append(2);
		Files.writeString(onlySegment(), "{\"seq\":3,\"rece", StandardOpenOption.APPEND);

		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::seq)
			.containsExactly(2L, 1L);
	}

	@Test
	void skipsALineThatIsNotAnEvent() throws IOException {
		open(1 << 20, 4);
		append(1);
		Files.writeString(onlySegment(), "edited by hand\n", StandardOpenOption.APPEND);
		append(1);

		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::seq)
			.containsExactly(2L, 1L);
	}

	@Test
	void writesAnEventDeliveredAgainOnlyOnceEvenAcrossARestart() throws IOException {
		open(1 << 20, 4);
		NewEvent first = event("app1", "one");
		NewEvent second = event("app1", "two");
		this.log.append(List.of(first, second));
		this.log.close();

		open(1 << 20, 4);
		List<StoredEvent> written = this.log.append(List.of(first, second, second, event("app1", "three")));

		assertThat(written).extracting(StoredEvent::message).containsExactly("three");
		assertThat(this.log.duplicatesSkipped()).isEqualTo(3);
		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::message)
			.containsExactly("three", "two", "one");
	}

	@Test
	void keepsEventsWithoutAnIdEvenWhenTheyAreAlike() throws IOException {
		open(1 << 20, 4);
		NewEvent anonymous = new NewEvent(null, "app1", T0, "INFO", "same", null, null, null);

		this.log.append(List.of(anonymous, anonymous));

		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).hasSize(2);
	}

	@Test
	void readsEventsLargerThanOneReadBlock() throws IOException {
		open(1 << 20, 4);
		String big = "x".repeat(ReverseLines.BLOCK * 2 + 17);
		this.log.append(List.of(event("app1", "small"), event("app1", big), event("app1", "last")));

		assertThat(read(new LogQuery(null, null, null, null, 10)).events()).extracting(StoredEvent::message)
			.containsExactly("last", big, "small");
	}

	@Test
	void aFilteredReadLooksAtABoundedPartOfTheHistoryAndSaysWhereToGoOn() throws IOException {
		open(16 * 1024, 100, 4096);
		this.log.append(List.of(event("gone", "spoke once, long ago")));
		append(600);

		// Nothing of "gone" among the newest 4 KiB: an empty page, and where to go on.
		LogPage first = read(new LogQuery("gone", null, null, null, 10));
		assertThat(first.events()).isEmpty();
		assertThat(first.nextBefore()).isNotNull().isLessThan(601L).isGreaterThan(2L);

		// Paging on finds it, and every event of a filter exactly once.
		assertThat(pageThrough("gone", null)).extracting(StoredEvent::message).containsExactly("spoke once, long ago");
		// "event 0", "event 10"…: the messages of app1 with a 0 in them.
		assertThat(pageThrough("app1", "0")).extracting(StoredEvent::seq)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, 600)
				.filter(i -> String.valueOf(i).contains("0"))
				.mapToObj(i -> (long) i + 2)
				.toList());
	}

	private List<StoredEvent> pageThrough(String service, String text) throws IOException {
		List<StoredEvent> found = new ArrayList<>();
		Long before = null;
		for (int pages = 0; pages < 1000; pages++) {
			LogPage page = read(new LogQuery(service, text, null, before, 10));
			found.addAll(page.events());
			before = page.nextBefore();
			if (before == null) {
				return found;
			}
		}
		throw new AssertionError("no end after 1000 pages");
	}

	@Test
	void findsByTextWhatOnlyJavasLowerCaseMakesMatchAndWhatJsonEscapes() throws IOException {
		open(1 << 20, 4, 4096);
		this.log.append(List.of(event("app1", "\u212Aelvin"), event("app1", "say \"hi\""), event("app1", "other")));

		assertThat(read(new LogQuery(null, "kelvin", null, null, 10)).events()).hasSize(1);
		assertThat(read(new LogQuery(null, "\"hi\"", null, null, 10)).events()).hasSize(1);
	}

	@Test
	void readsTheSequenceNumberALineStartsWith() {
		assertThat(EventLog.leadingSeq("{\"seq\":42,\"received\":\"x\"}".getBytes())).isEqualTo(42L);
		assertThat(EventLog.leadingSeq("{\"seq\":42}".getBytes())).isNull();
		assertThat(EventLog.leadingSeq("{\"received\":\"x\",\"seq\":42}".getBytes())).isNull();
		assertThat(EventLog.leadingSeq("not json".getBytes())).isNull();
	}

	private void open(long maxSegmentBytes, int maxSegments) throws IOException {
		open(maxSegmentBytes, maxSegments, FILTERED_SCAN_BYTES);
	}

	private void open(long maxSegmentBytes, int maxSegments, long filteredScanBytes) throws IOException {
		this.log = new EventLog(this.directory, maxSegmentBytes, maxSegments, true, CLOCK, EventLog.REDELIVERY_WINDOW,
				filteredScanBytes);
	}

	private void append(int count) throws IOException {
		for (int i = 0; i < count; i++) {
			this.log.append(List.of(event("app1", "event " + i)));
		}
	}

	private LogPage read(LogQuery query) throws IOException {
		return this.log.read(query);
	}

	private static NewEvent event(String serviceId, String message) {
		return event(serviceId, message, T0);
	}

	private static NewEvent event(String serviceId, String message, Instant time) {
		return new NewEvent(UUID.randomUUID().toString(), serviceId, time, "INFO", message, null, null, null);
	}

	private List<Path> segments() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.sorted().toList();
		}
	}

	private Path onlySegment() throws IOException {
		assertThat(segments()).hasSize(1);
		return segments().get(0);
	}

}
