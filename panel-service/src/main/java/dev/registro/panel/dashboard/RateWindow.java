package dev.registro.panel.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.registro.panel.dashboard.PanelState.RatePoint;

/** Registrations per second: the differences between successive totals, over a window. */
class RateWindow {

	private final Duration window;

	private final Deque<Total> totals = new ArrayDeque<>();

	RateWindow(Duration window) {
		this.window = window;
	}

	synchronized void record(Instant at, long total) {
		this.totals.addLast(new Total(at, total));
		Instant horizon = at.minus(this.window);
		while (!this.totals.isEmpty() && this.totals.peekFirst().at().isBefore(horizon)) {
			this.totals.removeFirst();
		}
	}

	synchronized List<RatePoint> rates() {
		List<RatePoint> rates = new ArrayList<>();
		Total previous = null;
		for (Total total : this.totals) {
			if (previous != null) {
				double seconds = Duration.between(previous.at(), total.at()).toMillis() / 1000.0;
				// A restarted reporte counts from zero again: no negative rate.
				long added = Math.max(0, total.count() - previous.count());
				rates.add(new RatePoint(total.at(), (seconds > 0) ? added / seconds : 0));
			}
			previous = total;
		}
		return rates;
	}

	private record Total(Instant at, long count) {
	}

}
