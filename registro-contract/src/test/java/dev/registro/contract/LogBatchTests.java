package dev.registro.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.registro.contract.LogBatch.Entry;
import dev.registro.contract.LogBatch.Line;
import dev.registro.contract.LogEvent.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LogBatchTests {

	private static final Instant T = Instant.parse("2026-11-30T12:00:00.123Z");

	@Test
	void writesOneLineOfJsonPerEventWithItsIdFirst() {
		byte[] body = LogBatch
			.body(List.of(LogBatch.line(new Entry("e-1", new LogEvent("app1", T, Level.INFO, "one", "m-1"))),
					LogBatch.line(new Entry("e-2", new LogEvent("app1", T, Level.WARN, "two", null)))));

		assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
				"""
						{"event_id":"e-1","service_id":"app1","time":"2026-11-30T12:00:00.123Z","level":"INFO","message":"one","message_id":"m-1"}
						{"event_id":"e-2","service_id":"app1","time":"2026-11-30T12:00:00.123Z","level":"WARN","message":"two"}
						""");
	}

	@Test
	void readsBackEveryEventWithItsId() throws InvalidMessageException {
		Entry first = new Entry("e-1", new LogEvent("app1", T, Level.INFO, "line\nbreak \"quoted\" ñ", "m-1"));
		Entry second = new Entry("e-2", new LogEvent("app2", T, Level.ERROR, "two", null));

		List<Line> lines = LogBatch.decode(LogBatch.body(List.of(LogBatch.line(first), LogBatch.line(second))), 1024);

		assertThat(lines).extracting(Line::entry).containsExactly(first, second);
	}

	@Test
	void keepsWhatItCanReadOfABatchAndSaysWhyTheRestCannotBe() throws InvalidMessageException {
		String body = """
				{"event_id":"e-1","service_id":"app1","time":"2026-11-30T12:00:00.123Z","level":"INFO","message":"ok"}
				not json
				{"service_id":"app1","time":"2026-11-30T12:00:00.123Z","level":"INFO","message":"no id"}
				{"event_id":"e-4","service_id":"app1","time":"yesterday","level":"INFO","message":"bad time"}
				""";

		List<Line> lines = LogBatch.decode(body.getBytes(StandardCharsets.UTF_8), 1024);

		assertThat(lines).hasSize(4);
		assertThat(lines.get(0).entry().eventId()).isEqualTo("e-1");
		assertThat(lines.get(1).invalid().kind()).isEqualTo(InvalidMessageException.Kind.MALFORMED);
		assertThat(new String(lines.get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("not json");
		assertThat(lines.get(2).invalid().kind()).isEqualTo(InvalidMessageException.Kind.MISSING_FIELD);
		assertThat(lines.get(3).invalid().kind()).isEqualTo(InvalidMessageException.Kind.INVALID_TIMESTAMP);
	}

	@Test
	void refusesAnEmptyBatch() {
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> LogBatch.decode(new byte[0], 1024));
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> LogBatch.decode("\n\n".getBytes(StandardCharsets.UTF_8), 1024));
	}

	@Test
	void refusesAnEventOverTheLimitAndAnOverlongId() throws InvalidMessageException {
		String big = "{\"event_id\":\"e-1\",\"service_id\":\"app1\",\"time\":\"2026-11-30T12:00:00Z\",\"level\":\"INFO\",\"message\":\""
				+ "x".repeat(2000) + "\"}\n";
		String longId = "{\"event_id\":\"" + "i".repeat(129)
				+ "\",\"service_id\":\"app1\",\"time\":\"2026-11-30T12:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}\n";

		List<Line> lines = LogBatch.decode((big + longId).getBytes(StandardCharsets.UTF_8), 1024);

		assertThat(lines.get(0).invalid().kind()).isEqualTo(InvalidMessageException.Kind.TOO_LARGE);
		assertThat(lines.get(1).invalid()).hasMessageContaining("event_id");
	}

}
