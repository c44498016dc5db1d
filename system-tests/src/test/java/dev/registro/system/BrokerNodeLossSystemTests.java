package dev.registro.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a three-node RabbitMQ cluster ({@code scripts/rabbitmq-cluster.sh}, started here and
 * stopped again; a cluster that already runs is somebody else's, and the test leaves it
 * alone): a client, reporte and the logger, given every node's address, lose the node
 * they are connected to, with kill -9, under load. They move to the other nodes and go
 * on; no 200 is lost or counted twice, at most the 503s of the moment are counted as
 * well, every 200's message id is in the history once, and {@code /reportes} answers
 * throughout.
 */
class BrokerNodeLossSystemTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final String CONFIRMED = "registration confirmed by the broker";

	private static boolean clusterStarted;

	private final String serviceId = "node-loss-" + UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void startCluster() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")),
				"a RabbitMQ 4 cluster on this machine needs root (scripts/rabbitmq4.sh)");
		assumeTrue(cluster("status") != 0, "a RabbitMQ cluster of somebody else's runs on 5681-5683");
		assertThat(cluster("start")).as("scripts/rabbitmq-cluster.sh start; see target/system-tests/cluster.log")
			.isZero();
		clusterStarted = true;
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (clusterStarted) {
			cluster("stop");
		}
	}

	@Test
	void losingTheNodeTheServicesUseLosesNoRegistrationAndCountsNoneTwice() throws Exception {
		String addresses = "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683";
		TestBroker node1 = new TestBroker("127.0.0.1", 5681, "guest", "guest", "registro-test",
				URI.create("http://127.0.0.1:15681"))
			.inVirtualHost("registro-test-cluster");
		Map<String, String> onTheCluster = Map.of("SPRING_RABBITMQ_ADDRESSES", addresses, "SPRING_RABBITMQ_USERNAME",
				"guest", "SPRING_RABBITMQ_PASSWORD", "guest", "SPRING_RABBITMQ_VIRTUAL_HOST", node1.virtualHost());
		Path history = Files.createTempDirectory("node-loss-history");
		try (ServiceProcess reporte = ServiceProcess.start("reporte-service", "reporte-cluster",
				with(onTheCluster, "REGISTRO_REPORTE_STATE_FILE",
						Files.createTempDirectory("node-loss-counts").resolve("counts.json").toString()));
				ServiceProcess logger = ServiceProcess.start("logger-service", "logger-cluster",
						with(onTheCluster, "REGISTRO_LOGGER_DIRECTORY", history.toString()));
				ServiceProcess client = ServiceProcess.start("cliente-service", "cliente-cluster",
						with(onTheCluster, "SERVICE_ID", this.serviceId))) {
			Load load = new Load(client.uri("/"), reporte.uri("/reportes"));
			load.start(6);
			Thread.sleep(3_000);
			long killed = System.nanoTime();
			assertThat(cluster("kill", "1")).isZero();
			Thread.sleep(12_000);
			load.stop();

			assertThat(load.okAfter(killed + TimeUnit.SECONDS.toNanos(5)))
				.as("registrations answered 200 from 5 s after the node was lost")
				.isPositive();
			assertThat(load.otherAnswers).as("registrations answered neither 200 nor 503").isEmpty();
			assertThat(load.readFailures.get()).as("/reportes answers other than 200").isZero();
			int ok = load.ok.size();
			int failed = load.failed.get();
			await().atMost(Duration.ofSeconds(60)).until(() -> counted(reporte) >= ok);
			// Time for what a lost confirm may still bring, then the bound.
			Thread.sleep(3_000);
			long counted = counted(reporte);
			System.out.printf("broker node lost: ok=%d failed=%d counted=%d%n", ok, failed, counted);
			assertThat(counted).as("counted, with %d answered 200 and %d answered 503", ok, failed)
				.isBetween((long) ok, (long) ok + failed);

			Map<String, Integer> confirmedIds = await().atMost(Duration.ofSeconds(60))
				.until(() -> confirmedIds(history), ids -> ids.keySet().containsAll(load.ok));
			assertThat(load.ok).allSatisfy(id -> assertThat(confirmedIds.get(id)).as(id).isEqualTo(1));
		}
		finally {
			assertThat(cluster("start-node", "1")).isZero();
			node1.deleteVirtualHost();
		}
	}

	private long counted(ServiceProcess reporte) throws IOException, InterruptedException {
		Map<String, Number> counts = JsonPath.read(ServiceProcess.admin(reporte.uri("/reportes")), "$");
		return counts.getOrDefault(this.serviceId, 0).longValue();
	}

	/** How often each message id occurs in the history's "confirmed" events. */
	private Map<String, Integer> confirmedIds(Path history) throws IOException {
		Map<String, Integer> ids = new HashMap<>();
		try (Stream<Path> files = Files.list(history)) {
			for (Path file : files.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList()) {
				for (String line : Files.readAllLines(file)) {
					if (line.contains(CONFIRMED) && line.contains(this.serviceId)) {
						ids.merge(JsonPath.read(line, "$.message_id"), 1, Integer::sum);
					}
				}
			}
		}
		return ids;
	}

	private static Map<String, String> with(Map<String, String> environment, String name, String value) {
		Map<String, String> more = new HashMap<>(environment);
		more.put(name, value);
		return more;
	}

	private static int cluster(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/rabbitmq-cluster.sh").toString()));
		command.addAll(List.of(arguments));
		Path log = Files.createDirectories(Path.of("target", "system-tests")).resolve("cluster.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not end within 5 minutes; see " + log);
		}
		return process.exitValue();
	}

	/**
	 * Senders registering back to back, each answer's message id kept with its time, and
	 * a reader of {@code /reportes} every 100 ms.
	 */
	private final class Load {

		private final URI register;

		private final URI reports;

		private final Queue<String> ok = new ConcurrentLinkedQueue<>();

		private final Queue<Long> okTimes = new ConcurrentLinkedQueue<>();

		private final AtomicInteger failed = new AtomicInteger();

		private final AtomicInteger readFailures = new AtomicInteger();

		private final Queue<String> otherAnswers = new ConcurrentLinkedQueue<>();

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running = true;

		Load(URI register, URI reports) {
			this.register = register;
			this.reports = reports;
		}

		void start(int senders) {
			for (int i = 0; i < senders; i++) {
				this.threads.add(run(this::send));
			}
			this.threads.add(run(this::read));
		}

		private Thread run(Runnable task) {
			Thread thread = new Thread(task);
			thread.start();
			return thread;
		}

		private void send() {
			HttpRequest request = HttpRequest.newBuilder(this.register).timeout(Duration.ofSeconds(30)).build();
			while (this.running) {
				try {
					HttpResponse<String> response = BrokerNodeLossSystemTests.this.http.send(request,
							HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() == 200) {
						this.ok.add(JsonPath.read(response.body(), "$.registered.message_id"));
						this.okTimes.add(System.nanoTime());
					}
					else if (response.statusCode() == 503) {
						this.failed.incrementAndGet();
					}
					else {
						this.otherAnswers.add(response.statusCode() + " " + response.body());
					}
				}
				catch (IOException ex) {
					// An answer never read may have been either: the bound must allow it.
					this.failed.incrementAndGet();
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private void read() {
			while (this.running) {
				try {
					if (ServiceProcess.getAsAdmin(this.reports).statusCode() != 200) {
						this.readFailures.incrementAndGet();
					}
					Thread.sleep(100);
				}
				catch (IOException ex) {
					this.readFailures.incrementAndGet();
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		long okAfter(long nanos) {
			return this.okTimes.stream().filter(time -> time > nanos).count();
		}

		void stop() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(60_000);
			}
		}

	}

}
