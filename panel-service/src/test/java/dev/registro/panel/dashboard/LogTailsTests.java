package dev.registro.panel.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.LogTail;
import dev.registro.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class LogTailsTests {

	private final Parts parts = mock(Parts.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

	private final LogTails tails = new LogTails(this.parts, 15, Duration.ofSeconds(2), this.clock);

	@BeforeEach
	void loggerAnswers() {
		given(this.parts.logTail(isNull(), anyInt())).willReturn(List.of(line("all")));
		given(this.parts.logTail(eq("app1"), anyInt())).willReturn(List.of(line("app1")));
	}

	@Test
	void readsTheLoggerOncePerRefreshAndFilterHoweverManyPagesAsk() {
		for (int page = 0; page < 10; page++) {
			this.tails.of(null);
			this.tails.of("app1");
		}
		verify(this.parts, times(1)).logTail(isNull(), eq(15));
		verify(this.parts, times(1)).logTail(eq("app1"), eq(15));

		this.clock.advance(Duration.ofSeconds(2));
		this.tails.of(null);

		verify(this.parts, times(2)).logTail(isNull(), eq(15));
	}

	@Test
	void keepsTheLastTailOfEachFilterMarkedStaleWhileTheLoggerIsDown() {
		assertThat(this.tails.of("app1").stale()).isFalse();
		given(this.parts.logTail(eq("app1"), anyInt())).willThrow(new ResourceAccessException("timed out"));
		given(this.parts.logTail(eq("app2"), anyInt())).willThrow(new ResourceAccessException("timed out"));
		this.clock.advance(Duration.ofSeconds(2));

		LogTail app1 = this.tails.of("app1");
		LogTail app2 = this.tails.of("app2");

		assertThat(app1.stale()).isTrue();
		assertThat(app1.events()).extracting(LogLine::message).containsExactly("app1");
		assertThat(app2.stale()).isTrue();
		assertThat(app2.events()).isEmpty();
		assertThat(app2.asOf()).isNull();
	}

	@Test
	void asksAgainAtOnceWhileTheLoggerIsDown() {
		given(this.parts.logTail(isNull(), anyInt())).willThrow(new ResourceAccessException("timed out"))
			.willReturn(List.of(line("back")));

		assertThat(this.tails.of(null).stale()).isTrue();
		assertThat(this.tails.of(null).events()).extracting(LogLine::message).containsExactly("back");
	}

	private static LogLine line(String message) {
		return new LogLine(1, "2026-11-29 12:00:00", "app1", "INFO", message, null);
	}

}
