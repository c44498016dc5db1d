package dev.registro.panel.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.registro.panel.dashboard.PanelState.Counts;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.LogTail;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.panel.dashboard.PanelState.Queues;
import dev.registro.panel.dashboard.PanelState.RatePoint;
import dev.registro.panel.dashboard.PanelState.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * What the panel knows of the system. A sampler asks every part at the configured interval
 * (in parallel, each call bounded), so that any number of open pages cost the parts nothing
 * more; the central log's tail is read when a page asks, since each page may filter it. What
 * a part said last is kept and shown, marked stale, while it does not answer.
 */
@Service
public class Dashboard implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

	/** The routes of DESIGN.md, as the original's "Rutas activas" listed them. */
	public static final List<Route> ROUTES = List.of(
			new Route("/cliente/uno, /cliente/dos, /cliente/tres", "GET, POST", "anyone", "register once for app1, app2, app3"),
			new Route("/reporte", "GET", "admin", "counts as text, the original's form"),
			new Route("/reportes", "GET", "admin", "counts as JSON"),
			new Route("/logs", "GET", "admin", "the central log: page, ?format=json, ?format=text"),
			new Route("/panel", "GET", "admin", "this dashboard"),
			new Route("/healthz", "GET", "anyone", "the gateway's own liveness"));

	private final Backends backends;

	private final PanelProperties properties;

	private final Clock clock;

	private final ExecutorService calls = Executors.newFixedThreadPool(8, runnable -> {
		Thread thread = new Thread(runnable, "panel-sampler");
		thread.setDaemon(true);
		return thread;
	});

	private final Deque<Sample> samples = new ArrayDeque<>();

	private final Map<String, LogTail> lastTails = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, LogTail> eldest) {
			return size() > 16;
		}
	};

	private volatile Counts counts = new Counts(List.of(), 0, 0, null, true);

	private volatile Queues queues = new Queues(null, null, null, true);

	private volatile List<PartHealth> parts = List.of();

	private volatile boolean sampled;

	Dashboard(Backends backends, PanelProperties properties, Clock clock) {
		this.backends = backends;
		this.properties = properties;
		this.clock = clock;
	}

	/** The whole state, with the log tail of {@code service} (all services when null). */
	public PanelState state(String service) {
		if (!this.sampled) {
			// The first page after start-up shows real data, not an empty shell.
			sample();
		}
		return new PanelState(this.clock.instant(), this.properties.refresh().toMillis(), this.counts, rates(),
				logTail(service), this.parts, this.queues, ROUTES,
				this.properties.clients().stream().map(PanelProperties.Client::serviceId).toList());
	}

	/** Asks every part once; what does not answer keeps its last known values, marked stale. */
	@Scheduled(fixedDelayString = "${registro.panel.refresh:2s}")
	public synchronized void sample() {
		CompletableFuture<Void> counted = CompletableFuture.runAsync(this::sampleCounts, this.calls);
		CompletableFuture<Void> queued = CompletableFuture.runAsync(this::sampleQueues, this.calls);
		List<CompletableFuture<PartHealth>> health = new ArrayList<>();
		for (PanelProperties.Client client : this.properties.clients()) {
			health.add(CompletableFuture.supplyAsync(() -> this.backends.health(client.serviceId(), client.url()), this.calls));
		}
		health.add(CompletableFuture.supplyAsync(() -> this.backends.health("reporte", this.properties.reporteUrl()), this.calls));
		health.add(CompletableFuture.supplyAsync(() -> this.backends.health("logger", this.properties.loggerUrl()), this.calls));
		CompletableFuture.allOf(counted, queued).join();
		List<PartHealth> checked = new ArrayList<>(health.stream().map(CompletableFuture::join).toList());
		checked.add(brokerHealth());
		this.parts = List.copyOf(checked);
		this.sampled = true;
	}

	/** Registers once on the named client; null when no such client is configured. */
	public Backends.ClientAnswer register(String serviceId) {
		return this.properties.clients()
			.stream()
			.filter(client -> client.serviceId().equals(serviceId))
			.findFirst()
			.map(this.backends::register)
			.orElse(null);
	}

	@Override
	public void destroy() {
		this.calls.shutdownNow();
	}

	private void sampleCounts() {
		Instant now = this.clock.instant();
		try {
			Backends.Summary summary = this.backends.summary();
			this.counts = new Counts(summary.counts(), summary.total(), summary.rejected(), now, false);
			recordSample(now, summary.total());
		}
		catch (RuntimeException ex) {
			log.debug("reporte did not answer: {}", Backends.describe(ex));
			Counts last = this.counts;
			this.counts = new Counts(last.services(), last.total(), last.rejected(), last.asOf(), true);
		}
	}

	private void sampleQueues() {
		Instant now = this.clock.instant();
		try {
			long[] depths = this.backends.queueDepths();
			this.queues = new Queues(depths[0], depths[1], now, false);
		}
		catch (RuntimeException ex) {
			log.debug("the broker did not answer: {}", Backends.describe(ex));
			Queues last = this.queues;
			this.queues = new Queues(last.registro(), last.deadLetters(), last.asOf(), true);
		}
	}

	private PartHealth brokerHealth() {
		Queues sampled = this.queues;
		return sampled.stale() ? new PartHealth("broker", "UNREACHABLE", "no answer over AMQP", this.clock.instant())
				: new PartHealth("broker", "UP", "registro " + sampled.registro() + " waiting, registro.dlq "
						+ sampled.deadLetters(), sampled.asOf());
	}

	private LogTail logTail(String service) {
		String key = (service != null) ? service : "";
		try {
			List<LogLine> events = this.backends.logTail(service, this.properties.logTail());
			LogTail tail = new LogTail(service, events, this.clock.instant(), false);
			synchronized (this.lastTails) {
				this.lastTails.put(key, tail);
			}
			return tail;
		}
		catch (RuntimeException ex) {
			log.debug("logger did not answer: {}", Backends.describe(ex));
			LogTail last;
			synchronized (this.lastTails) {
				last = this.lastTails.get(key);
			}
			return (last != null) ? new LogTail(service, last.events(), last.asOf(), true)
					: new LogTail(service, List.of(), null, true);
		}
	}

	private void recordSample(Instant at, long total) {
		synchronized (this.samples) {
			this.samples.addLast(new Sample(at, total));
			Instant horizon = at.minus(this.properties.rateWindow());
			while (!this.samples.isEmpty() && this.samples.peekFirst().at().isBefore(horizon)) {
				this.samples.removeFirst();
			}
		}
	}

	private List<RatePoint> rates() {
		List<RatePoint> rates = new ArrayList<>();
		synchronized (this.samples) {
			Sample previous = null;
			for (Sample sample : this.samples) {
				if (previous != null) {
					double seconds = Duration.between(previous.at(), sample.at()).toMillis() / 1000.0;
					// A restarted reporte counts from zero again: no negative rate.
					long added = Math.max(0, sample.total() - previous.total());
					rates.add(new RatePoint(sample.at(), (seconds > 0) ? added / seconds : 0));
				}
				previous = sample;
			}
		}
		return rates;
	}

	private record Sample(Instant at, long total) {
	}

}
