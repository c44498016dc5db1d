package dev.registro.reporte.counting;

import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A change as the changelog carries it between instances. */
class ChangeTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void travelsAsCompactJsonWithTimestampsInTheRegistrationsFormAndComesBackTheSame() {
		Change change = new Change("writer/amq.ctag-1",
				List.of(new Change.Registration("app1", LocalDateTime.of(2026, 11, 30, 12, 0, 5), "m-1"),
						new Change.Registration("app2", LocalDateTime.of(2026, 11, 30, 12, 0, 6), null)),
				List.of("m-3"), 1);

		String text = this.json.writeValueAsString(change);

		assertThat(text).contains("[\"app1\",\"2026-11-30 12:00:05\",\"m-1\"]")
			.contains("[\"app2\",\"2026-11-30 12:00:06\",null]");
		assertThat(this.json.readValue(text, Change.class)).isEqualTo(change);
	}

}
