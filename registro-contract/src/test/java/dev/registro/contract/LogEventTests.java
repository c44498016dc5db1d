package dev.registro.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.registro.contract.LogEvent.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LogEventTests {

	private static final Instant NOW = Instant.parse("2026-11-29T12:00:00.123456Z");

	@Test
	void encodesOneFlatJsonObjectWithMillisecondTime() {
		LogEvent event = new LogEvent("app1", NOW, Level.INFO, "registro enviado", "5f0c");

		assertThat(new String(event.encode(), StandardCharsets.UTF_8)).isEqualTo(
				"{\"service_id\":\"app1\",\"time\":\"2026-11-29T12:00:00.123Z\",\"level\":\"INFO\","
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

}
