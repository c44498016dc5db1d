package dev.registro.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.registro.testsupport.TestBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One packaged service jar, run as a real process on a free port, with its output in
 * {@code target/system-tests/<name>.log}, against the tests' broker and virtual host
 * ({@link TestBroker}).
 */
final class ServiceProcess implements AutoCloseable {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private final String module;

	private final String name;

	private final Map<String, String> environment;

	private final int port;

	private final Process process;

	private final Path log;

	private ServiceProcess(String module, String name, Map<String, String> environment, int port, Process process,
			Path log) {
		this.module = module;
		this.name = name;
		this.environment = environment;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts {@code <module>/target/<module>.jar} and waits until its readiness probe
	 * says UP.
	 */
	static ServiceProcess start(String module, String name, Map<String, String> environment) throws IOException {
		return start(module, name, environment, freePort());
	}

	/**
	 * Starts the service and waits for it to exit by itself, as one that refuses to start
	 * does.
	 * @return its output
	 * @throws IllegalStateException when it is still running after the timeout, or exits
	 * with 0
	 */
	static String expectRefusal(String module, String name, Map<String, String> environment, Duration timeout)
			throws IOException, InterruptedException {
		int port = freePort();
		Path log = log(name, port);
		Process process = builder(module, environment, port, log).start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IllegalStateException(name + " was still running after " + timeout + "; see " + log);
		}
		if (process.exitValue() == 0) {
			throw new IllegalStateException(name + " exited normally; see " + log);
		}
		return Files.readString(log);
	}

	private static ServiceProcess start(String module, String name, Map<String, String> environment, int port)
			throws IOException {
		Path log = log(name, port);
		ServiceProcess service = new ServiceProcess(module, name, environment, port,
				builder(module, environment, port, log).start(), log);
		try {
			service.awaitReady(Duration.ofSeconds(90));
		}
		catch (RuntimeException ex) {
			service.close();
			throw new IllegalStateException(name + " did not get ready; see " + log.toAbsolutePath(), ex);
		}
		return service;
	}

	private static ProcessBuilder builder(String module, Map<String, String> environment, int port, Path log) {
		Path jar = ROOT.resolve(module).resolve("target").resolve(module + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run the build from the root (./mvnw verify), "
					+ "which packages the services before these tests");
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
						"-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().putAll(TestBroker.get().environment());
		builder.environment().putAll(environment);
		builder.environment().put("SERVER_PORT", Integer.toString(port));
		return builder;
	}

	private static Path log(String name, int port) throws IOException {
		return Files.createDirectories(Path.of("target", "system-tests")).resolve(name + "-" + port + ".log");
	}

	/**
	 * Stops this process and starts the same service again, on the same port with the
	 * same environment.
	 */
	ServiceProcess restart() throws IOException {
		close();
		return start(this.module, this.name, this.environment, this.port);
	}

	/**
	 * Kills this process at once (SIGKILL: no shutdown hook, nothing flushed) and starts
	 * it again.
	 */
	ServiceProcess killAndRestart() throws IOException, InterruptedException {
		kill();
		return start(this.module, this.name, this.environment, this.port);
	}

	/** Kills this process at once (SIGKILL: no shutdown hook, nothing flushed). */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	/** A GET as the admin, which must answer 200. */
	static String admin(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = getAsAdmin(uri);
		assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
		return response.body();
	}

	/** A GET as the admin. */
	static HttpResponse<String> getAsAdmin(URI uri) throws IOException, InterruptedException {
		String basic = Base64.getEncoder()
			.encodeToString((RunningSystem.ADMIN + ":" + RunningSystem.PASSWORD).getBytes(StandardCharsets.UTF_8));
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	/** What the process has written so far. */
	String output() throws IOException {
		return Files.readString(this.log);
	}

	/** The environment, with one more setting. */
	static Map<String, String> with(Map<String, String> environment, String name, String value) {
		Map<String, String> more = new HashMap<>(environment);
		more.put(name, value);
		return more;
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private void awaitReady(Duration timeout) {
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue());
			}
			try {
				HttpResponse<Void> response = http.send(
						HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.discarding());
				return response.statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port + " (log " + this.log + ")";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
