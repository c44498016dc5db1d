package dev.registro.e2e;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos check: registrations through the gateway from concurrent senders, while reporte
 * and the logger are killed with SIGKILL and started again, and RabbitMQ restarts once. The
 * senders go on until the chaos is over and at least the asked number was sent. Then,
 * per service, every 200 must be counted exactly once by reporte and be in the logger's history
 * exactly once. The clients, reporte and the logger must say not-ready while the broker is away
 * and ready again after it, without being restarted. Prints
 * {@code sent=… ok=… counted=… logged=… lost=… duplicated=…} and writes it to
 * {@code target/chaos.txt}.
 *
 * <p>{@code -Dchaos.registrations} (default 3 000, the short form CI runs) and
 * {@code -Dchaos.senders} (default 12) size it; {@code scripts/chaos.sh} runs a long form.
 */
class ChaosEndToEndTests {

	private static final Map<String, String> ROUTES = Map.of("app1", "/cliente/uno", "app2", "/cliente/dos", "app3",
			"/cliente/tres");

	private static final List<String> SERVICES = List.of("app1", "app2", "app3");

	private static final List<String> BROKER_CLIENTS = List.of("app1", "app2", "app3", "reporte", "logger");

	private final int registrations = Integer.getInteger("chaos.registrations", 3000);

	private final int senders = Integer.getInteger("chaos.senders", 12);

	private final LocalStack stack = LocalStack.get();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, Set<String>> okIds = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

	private final AtomicInteger sent = new AtomicInteger();

	/** The parts whose readiness went down while the broker restarted, and came back. */
	private final Set<String> downDuringBrokerRestart = ConcurrentHashMap.newKeySet();

	private final Set<String> readyAfterBrokerRestart = ConcurrentHashMap.newKeySet();

	@Test
	void everyRegistrationAnswered200IsCountedAndLoggedExactlyOnceThroughCrashesAndABrokerRestart() throws Exception {
		SERVICES.forEach(service -> {
			this.okIds.put(service, ConcurrentHashMap.newKeySet());
			this.failed.put(service, new LongAdder());
		});
		Map<String, Long> before = counts();
		long cursor = JsonPath.<Number>read(this.stack.getAsAdmin("/logs?format=json&limit=1").body(), "$.cursor").longValue();

		ExecutorService pool = Executors.newFixedThreadPool(this.senders);
		AtomicInteger next = new AtomicInteger();
		AtomicBoolean chaosOver = new AtomicBoolean();
		for (int i = 0; i < this.senders; i++) {
			pool.submit(() -> {
				int n;
				while ((n = next.getAndIncrement()) < this.registrations || !chaosOver.get()) {
					register(SERVICES.get(n % SERVICES.size()));
				}
			});
		}
		pool.shutdown();
		try {
			chaos();
		}
		finally {
			chaosOver.set(true);
		}
		assertThat(pool.awaitTermination(30, TimeUnit.MINUTES)).isTrue();
		this.stack.start();

		Map<String, Long> counted = awaitDrained(before);
		Map<String, List<String>> logged = awaitLogged(cursor);

		long ok = 0;
		long failures = 0;
		long countedTotal = 0;
		long loggedTotal = 0;
		long lost = 0;
		long duplicated = 0;
		StringBuilder detail = new StringBuilder();
		for (String service : SERVICES) {
			Set<String> answered = this.okIds.get(service);
			long serviceFailed = this.failed.get(service).sum();
			long serviceCounted = counted.get(service);
			List<String> serviceLogged = logged.get(service);
			Set<String> distinctLogged = new HashSet<>(serviceLogged);
			// A registration answered 503 may still have reached the broker (its confirm was lost):
			// it may be counted, but a count above every attempt is a duplicate.
			long serviceLost = Math.max(0, answered.size() - serviceCounted)
					+ answered.stream().filter(id -> !distinctLogged.contains(id)).count();
			long serviceDuplicated = Math.max(0, serviceCounted - answered.size() - serviceFailed)
					+ (serviceLogged.size() - distinctLogged.size());
			ok += answered.size();
			failures += serviceFailed;
			countedTotal += serviceCounted;
			loggedTotal += distinctLogged.stream().filter(answered::contains).count();
			lost += serviceLost;
			duplicated += serviceDuplicated;
			detail.append(String.format("%s: ok=%d failed=%d counted=%d logged=%d%n", service, answered.size(),
					serviceFailed, serviceCounted, serviceLogged.size()));
		}
		String summary = String.format("sent=%d ok=%d failed=%d counted=%d logged=%d lost=%d duplicated=%d",
				this.sent.get(), ok, failures, countedTotal, loggedTotal, lost, duplicated);
		detail.append(String.format("broker restart: not ready meanwhile %s; ready again, without a restart of their own, %s%n",
				new TreeSet<>(this.downDuringBrokerRestart), new TreeSet<>(this.readyAfterBrokerRestart)));
		System.out.println(detail + summary);
		Files.writeString(Files.createDirectories(Path.of("target")).resolve("chaos.txt"), detail + summary + "\n");

		assertThat(this.sent.get()).isGreaterThanOrEqualTo(this.registrations);
		assertThat(ok).as("most registrations succeed despite the chaos").isGreaterThan(this.registrations / 2);
		assertThat(lost).as(summary).isZero();
		assertThat(duplicated).as(summary).isZero();
		if (LocalStack.brokerRestartCommand() != null) {
			assertThat(this.downDuringBrokerRestart).as("parts that said not-ready while the broker was away")
				.containsExactlyInAnyOrderElementsOf(BROKER_CLIENTS);
			assertThat(this.readyAfterBrokerRestart).as("parts ready again after the broker restart")
				.containsExactlyInAnyOrderElementsOf(BROKER_CLIENTS);
		}
	}

	/**
	 * Kills reporte and the logger a few times each, and restarts the broker once (when it is
	 * the test run's own: {@link LocalStack#brokerRestartCommand()}), spread over the first part
	 * of the traffic; each part is started again before the next step.
	 */
	private void chaos() throws Exception {
		String[] steps = (LocalStack.brokerRestartCommand() != null)
				? new String[] { "reporte", "logger", "broker", "reporte", "logger", "reporte" }
				: new String[] { "reporte", "logger", "reporte", "logger", "reporte" };
		for (int step = 0; step < steps.length; step++) {
			int threshold = this.registrations * (step + 1) / (steps.length + 2);
			while (this.sent.get() < threshold) {
				Thread.sleep(50);
			}
			if (steps[step].equals("broker")) {
				restartBrokerWatchingReadiness();
			}
			else {
				this.stack.kill(steps[step]);
				Thread.sleep(500);
				this.stack.start();
			}
		}
	}

	/**
	 * Restarts the broker while it polls the readiness of every part that talks to it; then
	 * waits, without restarting anything, until every part is ready again.
	 */
	private void restartBrokerWatchingReadiness() throws Exception {
		AtomicBoolean restarted = new AtomicBoolean();
		Thread watch = new Thread(() -> {
			while (!restarted.get() || !this.readyAfterBrokerRestart.containsAll(BROKER_CLIENTS)) {
				for (String part : BROKER_CLIENTS) {
					if (!this.stack.ready(part)) {
						this.downDuringBrokerRestart.add(part);
					}
					else if (restarted.get()) {
						this.readyAfterBrokerRestart.add(part);
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

	private void register(String service) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(this.stack.uri(ROUTES.get(service)))
				.timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 200) {
				this.okIds.get(service).add(JsonPath.read(response.body(), "$.registered.message_id"));
			}
			else {
				this.failed.get(service).increment();
			}
		}
		catch (IOException ex) {
			this.failed.get(service).increment();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.sent.incrementAndGet();
		}
	}

	/** The counts once reporte has taken everything: the queue is empty and the counts stay put. */
	private Map<String, Long> awaitDrained(Map<String, Long> before) {
		Map<String, Long>[] last = new Map[] { Map.of() };
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(3)).until(() -> {
			Number waiting = JsonPath.read(this.stack.getAsAdmin("/panel/api/state").body(), "$.queues.registro");
			Map<String, Long> now = counts();
			boolean settled = waiting != null && waiting.longValue() == 0 && now.equals(last[0]);
			last[0] = now;
			return settled;
		});
		Map<String, Long> counted = new HashMap<>();
		SERVICES.forEach(service -> counted.put(service, last[0].getOrDefault(service, 0L) - before.getOrDefault(service, 0L)));
		return counted;
	}

	/**
	 * Per service, the registration ids the logger has kept since the cursor: once it has them
	 * all, or what it has after a few minutes (what is missing then is reported as lost).
	 */
	private Map<String, List<String>> awaitLogged(long cursor) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		Map<String, List<String>> logged = loggedSince(cursor);
		while (!SERVICES.stream().allMatch(service -> logged.get(service).containsAll(this.okIds.get(service)))
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
				String json = this.stack.getAsAdmin("/logs?format=json&limit=1000&service=" + service + "&after=" + cursor
						+ ((before != null) ? "&before=" + before : "")).body();
				List<String> page = JsonPath.read(json, "$.events[?(@.message == 'registration confirmed by the broker')].message_id");
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
		Map<String, Number> counts = JsonPath.read(this.stack.getAsAdmin("/reportes").body(), "$");
		Map<String, Long> longs = new HashMap<>();
		counts.forEach((service, count) -> longs.put(service, count.longValue()));
		return longs;
	}

}
