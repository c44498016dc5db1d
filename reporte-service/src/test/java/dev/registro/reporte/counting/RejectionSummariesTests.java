package dev.registro.reporte.counting;

import java.nio.file.Path;
import java.time.Duration;

import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.LogEvent.Level;
import dev.registro.support.messaging.LogEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

class RejectionSummariesTests {

	private final LogEvents logEvents = mock(LogEvents.class);

	private final RejectionSummaries summaries = new RejectionSummaries(this.logEvents,
			new ReporteProperties(16384, Path.of("counts.json"), 1000, 10, true, Duration.ofHours(1),
					ReporteProperties.Store.FILE, Duration.ofSeconds(30)));

	@AfterEach
	void stop() {
		this.summaries.destroy();
	}

	@Test
	void tellsOneEventPerKindAndProducerWithTheCountTheLatestReasonAndAnId() {
		for (int i = 1; i <= 600; i++) {
			this.summaries.rejected(Kind.MALFORMED, "app9", "m-" + i, "body is neither JSON nor a Python dict");
		}
		this.summaries.rejected(Kind.INVALID_ACTION, "app9", "a-1", "'action' must be \"registro\"");
		this.summaries.rejected(Kind.MALFORMED, "not a service id!", null, "body is empty");

		this.summaries.publish();

		ArgumentCaptor<String> text = ArgumentCaptor.forClass(String.class);
		ArgumentCaptor<String> id = ArgumentCaptor.forClass(String.class);
		verify(this.logEvents, times(3)).publish(eq(Level.WARN), text.capture(), id.capture());
		assertThat(text.getAllValues()).containsExactlyInAnyOrder(
				"rejected 600 messages from app9 (malformed) within 3600 s: body is neither JSON nor a Python dict; they are in registro.dlq",
				"rejected 1 message from app9 (invalid_action) within 3600 s: 'action' must be \"registro\"; it is in registro.dlq",
				"rejected 1 message from unknown producers (malformed) within 3600 s: body is empty; it is in registro.dlq");
		assertThat(id.getAllValues()).contains("m-600", "a-1");
	}

	@Test
	void startsAfreshAfterEachSummary() {
		this.summaries.rejected(Kind.MALFORMED, "app9", "m-1", "x");
		this.summaries.publish();
		this.summaries.publish();

		verify(this.logEvents, times(1)).publish(eq(Level.WARN), contains("rejected 1 message"), eq("m-1"));
	}

	@Test
	void sumsUpAFloodOfInventedProducersInsteadOfOneEventEach() {
		for (int i = 0; i < 5000; i++) {
			this.summaries.rejected(Kind.MALFORMED, "bot-" + i, "m-" + i, "x");
		}

		this.summaries.publish();

		verify(this.logEvents, times(RejectionSummaries.MAX_SUMMARIES + 1)).publish(eq(Level.WARN), anyString(),
				anyString());
	}

	@Test
	void saysNothingAtAllWithoutRejections() {
		this.summaries.publish();

		verifyNoInteractions(this.logEvents);
	}

}
