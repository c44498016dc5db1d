package dev.registro.e2e;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos check, in two phases, each checked by message id: registrations through the
 * gateway from concurrent senders while things break, then, per service, the 200 answers
 * against reporte's counts and against the ids in the logger's history.
 * <ol>
 * <li>Broker up: reporte and the logger are killed with SIGKILL and started again,
 * several times, among them once each between making a batch durable and acknowledging it
 * (strace holds the thread there: after the rename of reporte's counts file, after the
 * logger's fdatasync). Every request must answer 200, and the counts must equal the 200s
 * exactly.</li>
 * <li>Broker restarted (only the test run's own:
 * {@link LocalStack#brokerRestartCommand()}): 200s ≤ counted ≤ 200s + 503s, since a
 * registration whose confirm was lost answers 503 yet may be counted; every part says
 * not-ready meanwhile and ready again without a restart.</li>
 * </ol>
 * In both, every 200's message id is in the history exactly once. The figures go to the
 * output and to {@code target/chaos.txt}. {@code -Dchaos.registrations} (default 3 000 a
 * phase, the short form CI runs) and {@code -Dchaos.senders} (default 12) size it; the
 * senders go on until the phase's chaos is over. {@code scripts/chaos.sh} runs a long
 * form.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosEndToEndTests {

	private static final List<String> SERVICES = List.copyOf(new TreeSet<>(LocalStack.CLIENT_ROUTES.keySet()));

	private static final List<String> BROKER_CLIENTS = List.of("app1", "app2", "app3", "reporte", "logger");

	private static final Path REPORT = Path.of("target", "chaos.txt");

	private final int registrations = Integer.getInteger("chaos.registrations", 3000);

	private final int senders = Integer.getInteger("chaos.senders", 12);

	private final LocalStack stack = LocalStack.get();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	@Order(1)
	void withTheBrokerUpEveryRegistrationIsAnswered200AndCountedAndLoggedExactlyOnceThroughKills() throws Exception {
		Files.deleteIfExists(REPORT);
		Phase phase = run("broker-up", () -> {
			this.stack.kill("reporte");
			this.stack.start();
			this.stack.killBetweenDurableAndAck("reporte");
			this.stack.start();
			this.stack.kill("logger");
			this.stack.start();
			this.stack.killBetweenDurableAndAck("logger");
			this.stack.start();
			this.stack.kill("reporte");
			this.stack.start();
		});

		assertThat(phase.failed()).as(phase.summary()).isZero();
		for (String service : SERVICES) {
			assertThat(phase.counted(service)).as(service + ": " + phase.summary()).isEqualTo(phase.ok(service));
		}
		assertThat(phase.lostFromHistory()).as(phase.summary()).isZero();
		assertThat(phase.duplicatedInHistory()).as(phase.summary()).isZero();
	}

	@Test
	@Order(2)
	void throughABrokerRestartEvery200IsCountedOnceAndLoggedExactlyOnce() throws Exception {
		Assumptions.assumeTrue(LocalStack.brokerRestartCommand() != null,
				"no broker of the test run's own to restart (scripts/test.sh starts one)");
		Set<String> notReady = ConcurrentHashMap.newKeySet();
		Set<String> readyAgain = ConcurrentHashMap.newKeySet();
		Phase phase = run("broker-restart", () -> restartBrokerWatchingReadiness(notReady, readyAgain));

		for (String service : SERVICES) {
			assertThat(phase.counted(service)).as(service + ": " + phase.summary())
				.isBetween(phase.ok(service), phase.ok(service) + phase.failed(service));
		}
		assertThat(phase.lostFromHistory()).as(phase.summary()).isZero();
		assertThat(phase.duplicatedInHistory()).as(phase.summary()).isZero();
		assertThat(notReady).as("parts that said not-ready while the broker was away")
			.containsExactlyInAnyOrderElementsOf(BROKER_CLIENTS);
		assertThat(readyAgain).as("parts ready again after the broker restart")
			.containsExactlyInAnyOrderElementsOf(BROKER_CLIENTS);
	}

	/**
	 * What breaks during a phase; each part it stops is started again before it returns.
	 */
	@FunctionalInterface
	private interface Chaos {

		void run() throws Exception;

	}

	/**
	 * Sends registrations from the senders while the chaos runs (spread over the first
	 * part of the traffic), until the chaos is over and at least the asked number went
	 * out; then waits until reporte and the logger have taken everything, and compares.
	 */
	private Phase run(String name, Chaos chaos) throws Exception {
		Map<String, Long> before = counts();
		long cursor = JsonPath.<Number>read(this.stack.getAsAdmin("/logs?format=json&limit=1").body(), "$.cursor")
			.longValue();
		Map<String, Set<String>> okIds = new ConcurrentHashMap<>();
		Map<String, LongAdder> failed = new ConcurrentHashMap<>();
		SERVICES.forEach(service -> {
			okIds.put(service, ConcurrentHashMap.newKeySet());
			failed.put(service, new LongAdder());
		});
		AtomicInteger sent = new AtomicInteger();
		AtomicBoolean chaosOver = new AtomicBoolean();
		ExecutorService pool = Executors.newFixedThreadPool(this.senders);
		for (int i = 0; i < this.senders; i++) {
			pool.submit(() -> {
				while (sent.get() < this.registrations || !chaosOver.get()) {
					String service = SERVICES.get(sent.getAndIncrement() % SERVICES.size());
					register(service, okIds.get(service), failed.get(service));
				}
			});
		}
		pool.shutdown();
		try {
			while (sent.get() < this.registrations / 4) {
				Thread.sleep(50);
			}
			chaos.run();
		}
		finally {
			chaosOver.set(true);
		}
		assertThat(pool.awaitTermination(30, TimeUnit.MINUTES)).isTrue();
		this.stack.start();

		Map<String, Long> counted = awaitDrained(before);
		Map<String, List<String>> logged = awaitLogged(cursor, okIds);
		Phase phase = new Phase(name, sent.get(), okIds, failed, counted, logged);
		System.out.println(phase.detail() + phase.summary());
		Files.writeString(Files.createDirectories(REPORT.getParent()).resolve(REPORT.getFileName()),
				phase.detail() + phase.summary() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		return phase;
	}

	/**
	 * Restarts the broker while it polls the readiness of every part that talks to it;
	 * then waits, without restarting anything, until every part is ready again.
	 */
	private void restartBrokerWatchingReadiness(Set<String> notReady, Set<String> readyAgain) throws Exception {
		AtomicBoolean restarted = new AtomicBoolean();
		Thread watch = new Thread(() -> {
			while (!restarted.get() || !readyAgain.containsAll(BROKER_CLIENTS)) {
				for (String part : BROKER_CLIENTS) {
					if (!this.stack.ready(part)) {
						notReady.add(part);
					}
					else if (restarted.get()) {
						readyAgain.add(part);
					}
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "readiness-watch");
		watch.start();
		try {
			this.stack.restartBroker();
		}
		finally {
			restarted.set(true);
		}
		watch.join(Duration.ofMinutes(2).toMillis());
		watch.interrupt();
	}

	private void register(String service, Set<String> ok, LongAdder failed) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(this.stack.uri(LocalStack.CLIENT_ROUTES.get(service)))
					.timeout(Duration.ofSeconds(30))
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200) {
				ok.add(JsonPath.read(response.body(), "$.registered.message_id"));
			}
			else {
				failed.increment();
			}
		}
		catch (IOException ex) {
			failed.increment();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What each service gained, once reporte has taken everything: the queue is empty and
	 * the counts stay put.
	 */
	private Map<String, Long> awaitDrained(Map<String, Long> before) {
		Map<String, Long>[] last = new Map[] { Map.of() };
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(3)).until(() -> {
			Number waiting = JsonPath.read(this.stack.getAsAdmin("/panel/api/state").body(), "$.queues.registro");
			Map<String, Long> now = counts();
			boolean settled = waiting != null && waiting.longValue() == 0 && now.equals(last[0]);
			last[0] = now;
			return settled;
		});
		return SERVICES.stream()
			.collect(Collectors.toMap(Function.identity(),
					service -> last[0].getOrDefault(service, 0L) - before.getOrDefault(service, 0L)));
	}

	/**
	 * Per service, the registration ids the logger has kept since the cursor: once it has
	 * them all, or what it has after a few minutes (what is missing then is reported as
	 * lost).
	 */
	private Map<String, List<String>> awaitLogged(long cursor, Map<String, Set<String>> okIds) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		Map<String, List<String>> logged = loggedSince(cursor);
		while (!SERVICES.stream().allMatch(service -> logged.get(service).containsAll(okIds.get(service)))
				&& System.nanoTime() < deadline) {
			Thread.sleep(3000);
			logged.putAll(loggedSince(cursor));
		}
		return logged;
	}

	private Map<String, List<String>> loggedSince(long cursor) throws Exception {
		Map<String, List<String>> logged = new HashMap<>();
		for (String service : SERVICES) {
			List<String> ids = new ArrayList<>();
			Long before = null;
			do {
				String json = this.stack
					.getAsAdmin("/logs?format=json&limit=1000&service=" + service + "&after=" + cursor
							+ ((before != null) ? "&before=" + before : ""))
					.body();
				List<String> page = JsonPath.read(json,
						"$.events[?(@.message == 'registration confirmed by the broker')].message_id");
				ids.addAll(page);
				Number nextBefore = JsonPath.read(json, "$.next_before");
				before = (nextBefore != null) ? nextBefore.longValue() : null;
			}
			while (before != null);
			logged.put(service, ids);
		}
		return logged;
	}

	private Map<String, Long> counts() throws Exception {
		HttpResponse<String> reportes = this.stack.getAsAdmin("/reportes");
		if (reportes.statusCode() != 200) {
			throw new IllegalStateException("/reportes answered " + reportes.statusCode() + ": " + reportes.body());
		}
		Map<String, Number> counts = JsonPath.read(reportes.body(), "$");
		Map<String, Long> longs = new HashMap<>();
		counts.forEach((service, count) -> longs.put(service, count.longValue()));
		return longs;
	}

	/** What one phase sent, what was answered, counted and logged, per service. */
	private record Phase(String name, int sent, Map<String, Set<String>> okIds, Map<String, LongAdder> failedCounts,
			Map<String, Long> countedBy, Map<String, List<String>> logged) {

		long ok(String service) {
			return this.okIds.get(service).size();
		}

		long failed(String service) {
			return this.failedCounts.get(service).sum();
		}

		long failed() {
			return SERVICES.stream().mapToLong(this::failed).sum();
		}

		long counted(String service) {
			return this.countedBy.get(service);
		}

		/** 200s whose message id is not in the history. */
		long lostFromHistory() {
			return SERVICES.stream().mapToLong(service -> {
				Set<String> inHistory = new TreeSet<>(this.logged.get(service));
				return this.okIds.get(service).stream().filter(id -> !inHistory.contains(id)).count();
			}).sum();
		}

		/** Ids in the history more than once. */
		long duplicatedInHistory() {
			return SERVICES.stream()
				.mapToLong(service -> this.logged.get(service).size() - new TreeSet<>(this.logged.get(service)).size())
				.sum();
		}

		String detail() {
			StringBuilder detail = new StringBuilder();
			for (String service : SERVICES) {
				detail.append(String.format("phase=%s %s: ok=%d failed=%d counted=%d logged=%d%n", this.name, service,
						ok(service), failed(service), counted(service), this.logged.get(service).size()));
			}
			return detail.toString();
		}

		String summary() {
			long ok = SERVICES.stream().mapToLong(this::ok).sum();
			long counted = SERVICES.stream().mapToLong(this::counted).sum();
			return String.format("phase=%s sent=%d ok=%d failed=%d counted=%d lost=%d duplicated=%d", this.name,
					this.sent, ok, failed(), counted, lostFromHistory(), duplicatedInHistory());
		}

	}

}
