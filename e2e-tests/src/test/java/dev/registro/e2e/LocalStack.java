package dev.registro.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The system as {@code scripts/local-stack.sh} runs it, started once for all end-to-end tests
 * of this JVM and stopped when it exits, whatever the tests did. Tests reach it through the
 * gateway, but for each part's readiness, which only the part itself answers.
 */
final class LocalStack {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final String ADMIN = System.getenv().getOrDefault("ADMIN_USERNAME", "admin");

	static final String PASSWORD = System.getenv().getOrDefault("ADMIN_PASSWORD", "123");

	/** The ports scripts/local-stack.sh gives the parts that talk to the broker. */
	private static final Map<String, Integer> PORTS = Map.of("app1", 8081, "app2", 8082, "app3", 8083, "reporte", 8084,
			"logger", 8085);

	private static LocalStack instance;

	private final String gateway = "http://127.0.0.1:" + System.getenv().getOrDefault("GATEWAY_PORT", "8080");

	private final HttpClient http = HttpClient.newHttpClient();

	private LocalStack() {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> script("stop"), "local-stack-stop"));
		script("start");
	}

	static synchronized LocalStack get() {
		if (instance == null) {
			instance = new LocalStack();
		}
		return instance;
	}

	URI uri(String path) {
		return URI.create(this.gateway + path);
	}

	/** Whether a part of the stack says it is ready, on the port the local stack gives it. */
	boolean ready(String part) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + PORTS.get(part) + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return send(request).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Starts whatever part is not running, and waits until every part is ready. */
	void start() {
		script("start");
	}

	/** Stops the named parts of the stack. */
	void stop(String... parts) {
		List<String> arguments = new ArrayList<>(List.of("stop"));
		arguments.addAll(List.of(parts));
		script(arguments.toArray(String[]::new));
	}

	/** Kills a part of the stack at once (SIGKILL: nothing flushed, no shutdown hook). */
	void kill(String part) throws IOException, InterruptedException {
		String pid = Files.readString(ROOT.resolve(".local-stack/pids/" + part + ".pid")).trim();
		Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IllegalStateException("could not kill " + part + " (pid " + pid + ")");
		}
	}

	/**
	 * Restarts RabbitMQ: every connection drops and the queues recover from disk. By default
	 * {@code rabbitmqctl stop_app}, {@code start_app} and {@code await_startup} on this machine;
	 * where the broker runs elsewhere (a container), {@code REGISTRO_BROKER_RESTART_COMMAND}
	 * is run with bash instead.
	 */
	void restartBroker() throws IOException, InterruptedException {
		String command = System.getenv("REGISTRO_BROKER_RESTART_COMMAND");
		List<List<String>> steps = (command != null && !command.isBlank()) ? List.of(List.of("bash", "-c", command))
				: List.of(List.of("rabbitmqctl", "stop_app"), List.of("rabbitmqctl", "start_app"),
						List.of("rabbitmqctl", "await_startup"));
		for (List<String> step : steps) {
			Process process = new ProcessBuilder(step).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", step) + " failed: restarting the broker needs "
						+ "rabbitmqctl and the right to use it (root) on the broker's machine, "
						+ "or REGISTRO_BROKER_RESTART_COMMAND");
			}
		}
	}

	HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).build());
	}

	HttpResponse<String> getAsAdmin(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic(ADMIN, PASSWORD)).build());
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static void script(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/local-stack.sh").toString()));
		command.addAll(List.of(arguments));
		try {
			Path log = Files.createDirectories(Path.of("target")).resolve("local-stack.log");
			Process process = new ProcessBuilder(command).directory(ROOT.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("scripts/local-stack.sh " + String.join(" ", arguments) + " hung; see " + log);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("scripts/local-stack.sh " + String.join(" ", arguments) + " failed with "
						+ process.exitValue() + ":\n" + Files.readString(log));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
