package dev.registro.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.registro.contract.LogEvent.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LogEventTests {

	private static final Instant NOW = Instant.parse("2026-11-29T12:00:00.123456Z");

	@Test
	void encodesOneFlatJsonObjectWithMillisecondTime() {
		LogEvent event = new LogEvent("app1", NOW, Level.INFO, "registro enviado", "5f0c");

		assertThat(new String(event.encode(), StandardCharsets.UTF_8))
			.isEqualTo("{\"service_id\":\"app1\",\"time\":\"2026-11-29T12:00:00.123Z\",\"level\":\"INFO\","
					+ "\"message\":\"registro enviado\",\"message_id\":\"5f0c\"}");
	}

	@Test
	void leavesOutAMissingMessageId() {
		LogEvent event = new LogEvent("reporte", NOW, Level.WARN, "started", null);

		assertThat(new String(event.encode(), StandardCharsets.UTF_8)).doesNotContain("message_id");
	}

	@Test
	void escapesWhateverTheMessageHolds() {
		LogEvent event = new LogEvent("app1", NOW, Level.ERROR, "quote \" backslash \\ newline \n ñ", null);

		assertThat(new String(event.encode(), StandardCharsets.UTF_8))
			.contains("\"message\":\"quote \\\" backslash \\\\ newline \\n ñ\"");
	}

	@Test
	void refusesAnInvalidServiceId() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LogEvent("no spaces", NOW, Level.INFO, "m", null));
	}

	@Test
	void readsWhatItWrites() throws Exception {
		LogEvent event = new LogEvent("app1", NOW, Level.WARN, "quote \" ñ \n", "5f0c");

		assertThat(LogEvent.decode(event.encode(), LogEvent.DEFAULT_MAX_BODY_BYTES)).isEqualTo(event);
	}

	@Test
	void readsAnEventWithoutMessageIdAndSkipsFieldsItDoesNotKnow() throws Exception {
		String body = "{\"service_id\":\"logger\",\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"INFO\","
				+ "\"message\":\"started\",\"message_id\":null,\"host\":{\"name\":\"x\",\"tags\":[1,2]}}";

		LogEvent event = LogEvent.decode(body.getBytes(StandardCharsets.UTF_8), LogEvent.DEFAULT_MAX_BODY_BYTES);

		assertThat(event)
			.isEqualTo(new LogEvent("logger", Instant.parse("2026-11-29T12:00:00Z"), Level.INFO, "started", null));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}|MISSING_FIELD",
			"{\"service_id\":\"a b\",\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}|INVALID_SERVICE_ID",
			"{\"service_id\":\"app1\",\"time\":\"yesterday\",\"level\":\"INFO\",\"message\":\"m\"}|INVALID_TIMESTAMP",
			"{\"service_id\":\"app1\",\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"DEBUG\",\"message\":\"m\"}|INVALID_LEVEL",
			"{\"service_id\":\"app1\",\"time\":\"2026-11-29T12:00:00Z\",\"level\":\"INFO\",\"message\":7}|WRONG_TYPE",
			"not json|MALFORMED" })
	void refusesWhatIsNotAnEvent(String body, InvalidMessageException.Kind kind) {
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> LogEvent.decode(body.getBytes(StandardCharsets.UTF_8), LogEvent.DEFAULT_MAX_BODY_BYTES))
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(kind));
	}

	@Test
	void refusesAnOversizedEventUnread() {
		byte[] body = new LogEvent("app1", NOW, Level.INFO, "x".repeat(70_000), null).encode();

		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> LogEvent.decode(body, LogEvent.DEFAULT_MAX_BODY_BYTES))
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(InvalidMessageException.Kind.TOO_LARGE));
	}

}
