package dev.registro.panel.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import dev.registro.panel.dashboard.PanelState.Counts;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.panel.dashboard.PanelState.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every part at the refresh interval, in parallel, each call bounded, so that any
 * number of open pages cost the parts nothing more. What a part said last is kept, marked
 * stale, while it does not answer.
 */
class Sampler implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Sampler.class);

	private final Parts parts;

	private final PanelProperties properties;

	private final RateWindow rates;

	private final Clock clock;

	private final ExecutorService calls = Executors.newFixedThreadPool(8, daemon("panel-sampler"));

	private final ScheduledExecutorService schedule = Executors
		.newSingleThreadScheduledExecutor(daemon("panel-schedule"));

	private volatile Counts counts = new Counts(List.of(), 0, 0, null, true);

	private volatile Queues queues = new Queues(null, null, null, true);

	private volatile List<PartHealth> health = List.of();

	private volatile boolean sampled;

	Sampler(Parts parts, PanelProperties properties, RateWindow rates, Clock clock) {
		this.parts = parts;
		this.properties = properties;
		this.rates = rates;
		this.clock = clock;
	}

	/** Samples at the refresh interval from now on. */
	void start() {
		long every = this.properties.refresh().toMillis();
		this.schedule.scheduleWithFixedDelay(this::sampleQuietly, 0, every, TimeUnit.MILLISECONDS);
	}

	Counts counts() {
		sampleOnceBeforeAnyAnswer();
		return this.counts;
	}

	Queues queues() {
		sampleOnceBeforeAnyAnswer();
		return this.queues;
	}

	List<PartHealth> health() {
		sampleOnceBeforeAnyAnswer();
		return this.health;
	}

	/** Asks every part once. */
	synchronized void sample() {
		CompletableFuture<Void> counted = CompletableFuture.runAsync(this::sampleCounts, this.calls);
		CompletableFuture<Void> queued = CompletableFuture.runAsync(this::sampleQueues, this.calls);
		List<CompletableFuture<PartHealth>> checks = new ArrayList<>();
		for (PanelProperties.Client client : this.properties.clients()) {
			checks.add(CompletableFuture.supplyAsync(() -> this.parts.health(client.serviceId(), client.url()),
					this.calls));
		}
		checks.add(CompletableFuture.supplyAsync(() -> this.parts.health("reporte", this.properties.reporteUrl()),
				this.calls));
		checks.add(CompletableFuture.supplyAsync(() -> this.parts.health("logger", this.properties.loggerUrl()),
				this.calls));
		CompletableFuture.allOf(counted, queued).join();
		List<PartHealth> checked = new ArrayList<>(checks.stream().map(CompletableFuture::join).toList());
		checked.add(brokerHealth());
		this.health = List.copyOf(checked);
		this.sampled = true;
	}

	@Override
	public void close() {
		this.schedule.shutdownNow();
		this.calls.shutdownNow();
	}

	/** The first page after start-up shows real data, not an empty shell. */
	private synchronized void sampleOnceBeforeAnyAnswer() {
		if (!this.sampled) {
			sample();
		}
	}

	private void sampleQuietly() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			log.warn("Sampling the parts failed: {}", Parts.describe(ex));
		}
	}

	private void sampleCounts() {
		Instant now = this.clock.instant();
		try {
			PartAnswers.Summary summary = this.parts.summary();
			this.counts = new Counts(summary.counts(), summary.total(), summary.rejected(), now, false);
			this.rates.record(now, summary.total());
		}
		catch (RuntimeException ex) {
			log.debug("reporte did not answer: {}", Parts.describe(ex));
			Counts last = this.counts;
			this.counts = new Counts(last.services(), last.total(), last.rejected(), last.asOf(), true);
		}
	}

	private void sampleQueues() {
		Instant now = this.clock.instant();
		try {
			long[] depths = this.parts.queueDepths();
			this.queues = new Queues(depths[0], depths[1], now, false);
		}
		catch (RuntimeException ex) {
			log.debug("the broker did not answer: {}", Parts.describe(ex));
			Queues last = this.queues;
			this.queues = new Queues(last.registro(), last.deadLetters(), last.asOf(), true);
		}
	}

	private PartHealth brokerHealth() {
		Queues last = this.queues;
		return last.stale()
				? new PartHealth("broker", "UNREACHABLE", "health.broker-unreachable", List.of(), this.clock.instant())
				: new PartHealth("broker", "UP", "health.broker",
						List.of(String.valueOf(last.registro()), String.valueOf(last.deadLetters())), last.asOf());
	}

	private static ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
