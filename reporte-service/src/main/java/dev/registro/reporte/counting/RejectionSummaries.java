package dev.registro.reporte.counting;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.registro.contract.InvalidMessageException.Kind;
import dev.registro.contract.LogEvent.Level;
import dev.registro.contract.Registro;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.LogEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells the central log about rejected messages in summaries: per kind and producer, one
 * event an interval with how many there were, the latest reason and one of their message
 * ids. One event per rejected message let a flood of garbage push the real history out of
 * the logger's size-rotated files; every rejected message itself is in
 * {@code registro.dlq}, with its reason.
 */
@Component
class RejectionSummaries implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RejectionSummaries.class);

	/**
	 * Kinds and producers told apart in one interval, at most; the rest are summed up per
	 * kind as "other producers", so that a flood from invented producers is still a few
	 * events.
	 */
	static final int MAX_SUMMARIES = 100;

	private static final String OTHER_PRODUCERS = "other producers";

	private final LogEvents logEvents;

	private final Duration interval;

	private final Map<Key, Summary> pending = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "rejection-summaries");
		thread.setDaemon(true);
		return thread;
	});

	RejectionSummaries(LogEvents logEvents, ReporteProperties properties) {
		this.logEvents = logEvents;
		this.interval = properties.rejectionSummaryInterval();
		long millis = this.interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::publish, millis, millis, TimeUnit.MILLISECONDS);
	}

	/** Counts a message that went to {@code registro.dlq}. */
	void rejected(Kind kind, String appId, String messageId, String reason) {
		String producer = Registro.isValidServiceId(appId) ? appId : "unknown producers";
		Key key = new Key(kind, producer);
		if (!this.pending.containsKey(key) && this.pending.size() >= MAX_SUMMARIES) {
			key = new Key(kind, OTHER_PRODUCERS);
		}
		this.pending.compute(key,
				(ignored, summary) -> ((summary != null) ? summary : new Summary()).add(messageId, reason));
	}

	/** Publishes one event for each kind and producer rejected since the last time. */
	void publish() {
		for (Key key : this.pending.keySet()) {
			Summary summary = this.pending.remove(key);
			if (summary == null) {
				continue;
			}
			String text = "rejected " + summary.count + ((summary.count == 1) ? " message" : " messages") + " from "
					+ key.producer() + " (" + key.kind().tag() + ") within " + this.interval.toSeconds() + " s: "
					+ summary.reason + "; " + ((summary.count == 1) ? "it is" : "they are") + " in "
					+ Topology.REGISTRO_DLQ;
			log.warn("{} (e.g. message_id={})", text, summary.sampleId);
			this.logEvents.publish(Level.WARN, text, summary.sampleId);
		}
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		publish();
	}

	private record Key(Kind kind, String producer) {
	}

	/** Guarded by the map: only changed inside {@code compute}. */
	private static final class Summary {

		private long count;

		private String sampleId;

		private String reason;

		Summary add(String messageId, String reason) {
			this.count++;
			this.sampleId = messageId;
			this.reason = reason;
			return this;
		}

	}

}
