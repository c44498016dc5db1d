package dev.registro.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meeting a broker where the original system ran: its clients left a classic, non-durable
 * {@code registro} queue with registrations in it. reporte refuses to start, in one line
 * that names the queue, what differs and the way out; {@code scripts/migrate-registro.sh}
 * moves the messages; then reporte starts and counts every one of them. In a virtual host
 * of its own.
 */
class OriginalQueueSystemTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private final String serviceId = "orig-" + UUID.randomUUID().toString().substring(0, 8);

	private TestBroker broker;

	@BeforeEach
	void brokerWhereTheOriginalRan() throws Exception {
		this.broker = TestBroker.get().inVirtualHost("registro-test-original");
		try (Connection connection = this.broker.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			channel.queueDelete("registro");
			// As the original's clients declare it, and publish to it: str(dict) bodies,
			// no message id.
			channel.queueDeclare("registro", false, false, false, null);
			channel.confirmSelect();
			for (int i = 0; i < 40; i++) {
				String body = "{'service_id': '" + this.serviceId + "', 'timestamp': '2025-04-10 13:26:"
						+ String.format("%02d", i) + "', 'action': 'registro'}";
				channel.basicPublish("", "registro", null, body.getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(10_000);
		}
	}

	@AfterEach
	void dropVirtualHost() {
		this.broker.deleteVirtualHost();
	}

	@Test
	void reporteRefusesTheOriginalsQueueInOneLineAndCountsEveryMessageOnceItIsMigrated() throws Exception {
		Map<String, String> environment = Map.of("SPRING_RABBITMQ_VIRTUAL_HOST", this.broker.virtualHost(),
				"REGISTRO_REPORTE_STATE_FILE", Files.createTempDirectory("original").resolve("counts.json").toString());

		String refusal = ServiceProcess.expectRefusal("reporte-service", "reporte-original", environment,
				Duration.ofSeconds(120));
		assertThat(refusal).contains("APPLICATION FAILED TO START")
			.containsPattern("(?m)^Queue 'registro' in vhost 'registro-test-original' exists with other arguments than "
					+ "registro declares, left by the original system or an earlier registro \\(durable: received "
					+ "'true' but current is 'false'\\)\\.$")
			.contains("scripts/migrate-registro.sh");

		ProcessBuilder migration = new ProcessBuilder("bash", ROOT.resolve("scripts/migrate-registro.sh").toString())
			.redirectErrorStream(true)
			.redirectOutput(Files.createDirectories(Path.of("target", "system-tests")).resolve("migrate.log").toFile());
		migration.environment().putAll(this.broker.environment());
		Process migrating = migration.start();
		assertThat(migrating.waitFor(3, TimeUnit.MINUTES)).isTrue();
		assertThat(migrating.exitValue()).as(Files.readString(Path.of("target", "system-tests", "migrate.log")))
			.isZero();

		try (ServiceProcess reporte = ServiceProcess.start("reporte-service", "reporte-migrated", environment)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> counted(reporte) == 40);
		}
	}

	private long counted(ServiceProcess reporte) throws IOException, InterruptedException {
		Map<String, Number> counts = JsonPath.read(ServiceProcess.admin(reporte.uri("/reportes")), "$");
		return counts.getOrDefault(this.serviceId, 0).longValue();
	}

}
