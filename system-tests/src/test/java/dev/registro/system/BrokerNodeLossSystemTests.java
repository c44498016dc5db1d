package dev.registro.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * alone): a client, two reportes sharing their counts through the changelog stream and
 * the logger, given every node's address, lose the node they are connected to, with kill
 * -9, under load; then the reporte that counts is killed too. They move to the other
 * nodes and go on, the other reporte takes over; no 200 is lost or counted twice (not
 * even once the queue hands back, late, what the lost node's consumer held), at most the
 * 503s of the moment are counted as well, every 200's message id is in the history once,
 * and {@code /reportes} answers throughout.
 */
class BrokerNodeLossSystemTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final String CONFIRMED = "registration confirmed by the broker";

	private static boolean clusterStarted;

	private final String serviceId = "node-loss-" + UUID.randomUUID().toString().substring(0, 8);

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
	void losingTheNodeTheServicesUseAndThenTheCountingReporteLosesNoRegistrationAndCountsNoneTwice() throws Exception {
		String addresses = "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683";
		TestBroker node1 = new TestBroker("127.0.0.1", 5681, "guest", "guest", "registro-test",
				URI.create("http://127.0.0.1:15681"))
			.inVirtualHost("registro-test-cluster");
		Map<String, String> onTheCluster = Map.of("SPRING_RABBITMQ_ADDRESSES", addresses, "SPRING_RABBITMQ_USERNAME",
				"guest", "SPRING_RABBITMQ_PASSWORD", "guest", "SPRING_RABBITMQ_VIRTUAL_HOST", node1.virtualHost());
		Map<String, String> sharedCounts = ServiceProcess.with(onTheCluster, "REGISTRO_REPORTE_STORE", "stream");
		Path history = Files.createTempDirectory("node-loss-history");
		try (ServiceProcess first = ServiceProcess.start("reporte-service", "reporte-cluster-1", sharedCounts);
				ServiceProcess second = ServiceProcess.start("reporte-service", "reporte-cluster-2", sharedCounts);
				ServiceProcess logger = ServiceProcess.start("logger-service", "logger-cluster",
						ServiceProcess.with(onTheCluster, "REGISTRO_LOGGER_DIRECTORY", history.toString()));
				ServiceProcess client = ServiceProcess.start("cliente-service", "cliente-cluster",
						ServiceProcess.with(onTheCluster, "SERVICE_ID", this.serviceId))) {
			RegistrationLoad load = new RegistrationLoad(client.uri("/"), first.uri("/reportes"),
					second.uri("/reportes"));
			load.start(6);
			Thread.sleep(3_000);
			long killed = System.nanoTime();
			assertThat(cluster("kill", "1")).isZero();
			Thread.sleep(12_000);
			ServiceProcess counting = Reportes.counting(first, second);
			ServiceProcess standby = (counting == first) ? second : first;
			counting.kill();
			long reporteKilled = System.nanoTime();
			Thread.sleep(8_000);
			load.stop();

			assertThat(load.okAfter(killed + TimeUnit.SECONDS.toNanos(5)))
				.as("registrations answered 200 from 5 s after the node was lost")
				.isPositive();
			assertThat(load.okAfter(reporteKilled)).as("registrations answered 200 after reporte was killed")
				.isPositive();
			assertThat(load.otherAnswers).as("registrations answered neither 200 nor 503").isEmpty();
			assertThat(load.readFailures.get()).as("/reportes asked of both, answered by neither").isZero();
			int ok = load.ok.size();
			int failed = load.failed.get();
			await().atMost(Duration.ofSeconds(60)).until(() -> Reportes.counted(standby, this.serviceId) >= ok);
			// Longer than the queue holds the messages of a consumer on the lost node: a
			// copy
			// counted again would show now.
			Thread.sleep(10_000);
			long counted = Reportes.counted(standby, this.serviceId);
			System.out.printf("broker node lost, then the counting reporte: ok=%d failed=%d counted=%d%n", ok, failed,
					counted);
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

}
