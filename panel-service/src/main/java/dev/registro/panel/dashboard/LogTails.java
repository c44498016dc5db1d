package dev.registro.panel.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.LogTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest events of the central log, per filter (a service id, or all): read from the
 * logger at most once per refresh interval and filter, however many pages ask, and kept,
 * marked stale, while the logger does not answer.
 */
class LogTails {

	private static final Logger log = LoggerFactory.getLogger(LogTails.class);

	/** Filters remembered at most: the services shown, and all. */
	private static final int FILTERS = 16;

	private final Parts parts;

	private final int size;

	private final Duration refresh;

	private final Clock clock;

	private final Map<String, LogTail> tails = new LinkedHashMap<>(FILTERS, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, LogTail> eldest) {
			return size() > FILTERS;
		}
	};

	LogTails(Parts parts, int size, Duration refresh, Clock clock) {
		this.parts = parts;
		this.size = size;
		this.refresh = refresh;
		this.clock = clock;
	}

	/** The tail of {@code service} (all services when null). */
	synchronized LogTail of(String service) {
		String key = (service != null) ? service : "";
		Instant now = this.clock.instant();
		LogTail last = this.tails.get(key);
		if (last != null && last.asOf() != null && !last.stale() && last.asOf().plus(this.refresh).isAfter(now)) {
			return last;
		}
		LogTail tail;
		try {
			List<LogLine> events = this.parts.logTail(service, this.size);
			tail = new LogTail(service, events, now, false);
		}
		catch (RuntimeException ex) {
			log.debug("logger did not answer: {}", Parts.describe(ex));
			tail = (last != null) ? new LogTail(service, last.events(), last.asOf(), true)
					: new LogTail(service, List.of(), null, true);
		}
		this.tails.put(key, tail);
		return tail;
	}

}
