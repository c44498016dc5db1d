package dev.registro.panel.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Everything the panel shows, at one moment. Each part carries when it was last read and
 * whether that is stale (the part did not answer since), so a page can show the last
 * known values of a part that is down next to the live values of the others.
 *
 * @param generatedAt when this state was put together
 * @param refreshMillis how often the page should ask again
 * @param counts the counts from reporte
 * @param rates registrations per second over the last minutes
 * @param log the newest events of the central log
 * @param parts the health of every part
 * @param queues the depth of the broker's queues
 * @param routes the routes of the system
 * @param clients the service ids of the clients the panel can register for
 */
public record PanelState(Instant generatedAt, long refreshMillis, Counts counts, List<RatePoint> rates, LogTail log,
		List<PartHealth> parts, Queues queues, List<Route> routes, List<String> clients) {

	/** The same state with these parts. */
	public PanelState withParts(List<PartHealth> told) {
		return new PanelState(this.generatedAt, this.refreshMillis, this.counts, this.rates, this.log, told,
				this.queues, this.routes, this.clients);
	}

	/** Registrations per service; {@code asOf} is null when reporte never answered. */
	public record Counts(List<ServiceCount> services, long total, long rejected, Instant asOf, boolean stale) {
	}

	public record ServiceCount(String serviceId, long count, String lastRegistration) {
	}

	/** Registrations per second between the sample before and the one at {@code at}. */
	public record RatePoint(Instant at, double perSecond) {
	}

	/**
	 * The newest events, optionally of one service; {@code asOf} is null when logger
	 * never answered.
	 */
	public record LogTail(String service, List<LogLine> events, Instant asOf, boolean stale) {
	}

	/**
	 * One event; {@code time} as people read it, in the panel's time zone:
	 * {@code 2026-11-29 12:00:00}.
	 */
	public record LogLine(long seq, String time, String serviceId, String level, String message, String messageId) {
	}

	/**
	 * @param name what the part is (app1, reporte, logger, broker)
	 * @param status UP, DOWN (it answered, not ready) or UNREACHABLE (it did not answer)
	 * @param detailKey the message key of what people are told about it
	 * @param detailArgs the message's arguments
	 * @param detail what people are told, in their language; null until a page asks
	 * @param checkedAt when it was last asked
	 */
	public record PartHealth(String name, String status, String detailKey, List<String> detailArgs, String detail,
			Instant checkedAt) {

		public PartHealth(String name, String status, String detailKey, List<String> detailArgs, Instant checkedAt) {
			this(name, status, detailKey, detailArgs, null, checkedAt);
		}

		public boolean up() {
			return "UP".equals(this.status);
		}

		/** The same, told in words. */
		public PartHealth told(String words) {
			return new PartHealth(this.name, this.status, this.detailKey, this.detailArgs, words, this.checkedAt);
		}

	}

	/**
	 * Messages waiting in {@code registro} and {@code registro.dlq}; null when unknown.
	 */
	public record Queues(Long registro, Long deadLetters, Instant asOf, boolean stale) {
	}

	/**
	 * @param path the route, or several that do the same
	 * @param methods the HTTP methods it takes
	 * @param access {@code anyone} or {@code admin}
	 * @param description the message key of what it does
	 */
	public record Route(String path, String methods, String access, String description) {
	}

}
