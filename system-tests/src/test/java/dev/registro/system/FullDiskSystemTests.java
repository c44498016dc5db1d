package dev.registro.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.jayway.jsonpath.JsonPath;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * reporte and the logger with their state on a filesystem that fills up (a tmpfs of a few
 * megabytes, mounted for the test: it needs root, as scripts/test.sh does): they stop
 * taking messages, say not-ready with the reason, send nothing to a dead-letter queue,
 * and once there is room again they count and write everything that came meanwhile. In a
 * virtual host of its own.
 */
class FullDiskSystemTests {

	private final String serviceId = "disk-" + UUID.randomUUID().toString().substring(0, 8);

	private TestBroker broker;

	private Path disk;

	@BeforeEach
	void smallDisk() throws Exception {
		this.broker = TestBroker.get().inVirtualHost("registro-test-full-disk");
		this.disk = Files.createTempDirectory("registro-full-disk");
		run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", this.disk.toString());
	}

	@AfterEach
	void removeDisk() throws Exception {
		run("umount", this.disk.toString());
		this.broker.deleteVirtualHost();
	}

	@Test
	void reportePausesOnAFullDiskAndCountsAllOnceThereIsRoom() throws Exception {
		Map<String, String> environment = Map.of("SPRING_RABBITMQ_VIRTUAL_HOST", this.broker.virtualHost(),
				"REGISTRO_REPORTE_STATE_FILE", this.disk.resolve("counts.json").toString());
		try (ServiceProcess reporte = ServiceProcess.start("reporte-service", "reporte-full-disk", environment);
				Connection connection = this.broker.connectionFactory().newConnection()) {
			Path filler = fill();
			publish(connection, "", "registro", 150, i -> "{\"service_id\":\"" + this.serviceId
					+ "\",\"timestamp\":\"2026-11-30 12:00:00\",\"action\":\"registro\"}");

			awaitNotReadyForLackOfSpace(reporte);
			assertThat(count(connection, "registro.dlq")).isZero();

			Files.delete(filler);

			await().atMost(Duration.ofSeconds(60)).until(() -> counted(reporte) == 150);
			await().atMost(Duration.ofSeconds(30)).until(() -> readiness(reporte).statusCode() == 200);
			assertThat(count(connection, "registro.dlq")).isZero();
		}
	}

	@Test
	void theLoggerPausesOnAFullDiskAndWritesEveryEventOnceThereIsRoom() throws Exception {
		Map<String, String> environment = Map.of("SPRING_RABBITMQ_VIRTUAL_HOST", this.broker.virtualHost(),
				"REGISTRO_LOGGER_DIRECTORY", this.disk.resolve("history").toString());
		try (ServiceProcess logger = ServiceProcess.start("logger-service", "logger-full-disk", environment);
				Connection connection = this.broker.connectionFactory().newConnection()) {
			Path filler = fill();
			publish(connection, "logs", "", 50,
					i -> "{\"service_id\":\"" + this.serviceId + "\",\"time\":\"" + Instant.now()
							+ "\",\"level\":\"INFO\",\"message\":\"event " + i + "\",\"message_id\":\"m-" + i + "\"}");

			awaitNotReadyForLackOfSpace(logger);
			assertThat(count(connection, "logger.dlq")).isZero();

			Files.delete(filler);

			await().atMost(Duration.ofSeconds(60)).until(() -> logged(logger).size() == 50);
			assertThat(logged(logger)).doesNotHaveDuplicates();
			await().atMost(Duration.ofSeconds(30)).until(() -> readiness(logger).statusCode() == 200);
			assertThat(count(connection, "logger.dlq")).isZero();
		}
	}

	/** Fills the small filesystem to the last byte. */
	private Path fill() throws IOException {
		Path filler = this.disk.resolve("filler");
		byte[] block = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(filler)) {
			while (true) {
				out.write(block);
			}
		}
		catch (IOException ex) {
			// No space left on device: full
		}
		try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
			for (int i = 0; i < 64 * 1024; i++) {
				out.write(0);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the last bytes
		}
		return filler;
	}

	private void awaitNotReadyForLackOfSpace(ServiceProcess service) {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			HttpResponse<String> readiness = readiness(service);
			return readiness.statusCode() == 503 && readiness.body().contains("No space left on device");
		});
		// Long enough for RabbitMQ to dead-letter a message handed back 20 times, had one
		// been.
		await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
	}

	/** The readiness with its details, which only the admin sees. */
	private static HttpResponse<String> readiness(ServiceProcess service) throws IOException, InterruptedException {
		return ServiceProcess.getAsAdmin(service.uri("/actuator/health/readiness"));
	}

	private long counted(ServiceProcess reporte) throws IOException, InterruptedException {
		Map<String, Number> counts = JsonPath.read(ServiceProcess.admin(reporte.uri("/reportes")), "$");
		return counts.getOrDefault(this.serviceId, 0).longValue();
	}

	private List<String> logged(ServiceProcess logger) throws IOException, InterruptedException {
		URI uri = logger.uri("/logs?format=json&limit=1000&service=" + this.serviceId);
		return JsonPath.read(ServiceProcess.admin(uri), "$.events[*].message_id");
	}

	private static void publish(Connection connection, String exchange, String routingKey, int count,
			IntFunction<String> body) throws Exception {
		try (Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			for (int i = 0; i < count; i++) {
				channel.basicPublish(exchange, routingKey, true,
						new AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString()).build(),
						body.apply(i).getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(10_000);
		}
	}

	private static long count(Connection connection, String queue) throws Exception {
		try (Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed (this test mounts a small tmpfs, "
					+ "which needs root): " + output);
		}
	}

}
