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

import dev.registro.testsupport.TestBroker;

import static org.awaitility.Awaitility.await;

/**
 * The system as {@code scripts/local-stack.sh} runs it, started once for all end-to-end
 * tests of this JVM and stopped when it exits, whatever the tests did. It is the tests'
 * own stack: its state in {@code target/local-stack}, its ports from {@value #BASE_PORT}
 * (so that a user's stack on 8080 can run meanwhile), and the tests' broker and virtual
 * host ({@link TestBroker}). Tests reach it through the gateway, but for each part's
 * readiness, which only the part itself answers.
 */
final class LocalStack {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final String ADMIN = System.getenv().getOrDefault("ADMIN_USERNAME", "admin");

	static final String PASSWORD = System.getenv().getOrDefault("ADMIN_PASSWORD", "123");

	/**
	 * The gateway's port; the parts follow it, as scripts/local-stack.sh numbers them.
	 */
	static final int BASE_PORT = 18080;

	/** The gateway's HTTPS port, when it serves HTTPS (scripts/local-stack.sh's rule). */
	static final int TLS_PORT = BASE_PORT + 363;

	/**
	 * The tests read the admin routes far faster than a person does: their stack's
	 * gateway lets an address make this many requests a second to them, and the tests of
	 * the limit itself start it without ({@link #startGateway(Map)}).
	 */
	private static final Map<String, String> FAST_ADMIN_READS = Map.of("GATEWAY_ADMIN_RATE", "1000");

	private static final Path STATE = Path.of("target", "local-stack").toAbsolutePath();

	/** The services of the stack, in the order of their ports. */
	static final List<String> PARTS = List.of("app1", "app2", "app3", "reporte", "logger", "panel");

	/**
	 * The second logger that {@code LOCAL_STACK_REPLICAS=2} adds, on the port after the
	 * others.
	 */
	static final String STANDBY_LOGGER = "logger-2";

	/**
	 * The second reporte that {@code LOCAL_STACK_REPLICAS=2} adds, on the port after
	 * that.
	 */
	static final String SECOND_REPORTE = "reporte-2";

	/**
	 * Each client's route through the gateway, by service id, as gateway-nginx's template
	 * has them.
	 */
	static final Map<String, String> CLIENT_ROUTES = Map.of("app1", "/cliente/uno", "app2", "/cliente/dos", "app3",
			"/cliente/tres");

	private static LocalStack instance;

	private final String gateway = "http://127.0.0.1:" + BASE_PORT;

	private final HttpClient http = HttpClient.newHttpClient();

	private LocalStack() {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> script(Map.of(), "stop"), "local-stack-stop"));
		script(FAST_ADMIN_READS, "start");
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

	/**
	 * Whether a part of the stack says it is ready, on the port the local stack gives it.
	 */
	boolean ready(String part) {
		HttpRequest request = HttpRequest.newBuilder(direct(part, "/actuator/health/readiness"))
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
		script(FAST_ADMIN_READS, "start");
	}

	/**
	 * Starts the gateway again with these settings of scripts/local-stack.sh
	 * ({@code GATEWAY_TLS_CERT}, {@code GATEWAY_ADMIN_RATE}...) and no others: with none,
	 * as a user's stack has it.
	 */
	void startGateway(Map<String, String> settings) {
		stop("gateway");
		script(settings, "start");
	}

	/** Starts the gateway again as the tests' stack has it. */
	void startGateway() {
		startGateway(FAST_ADMIN_READS);
	}

	/** Stops the named parts of the stack. */
	void stop(String... parts) {
		List<String> arguments = new ArrayList<>(List.of("stop"));
		arguments.addAll(List.of(parts));
		script(Map.of(), arguments.toArray(String[]::new));
	}

	/**
	 * The port a part of the stack listens on, as scripts/local-stack.sh numbers them.
	 */
	static int port(String part) {
		return BASE_PORT + 1 + switch (part) {
			case STANDBY_LOGGER -> PARTS.size();
			case SECOND_REPORTE -> PARTS.size() + 1;
			default -> PARTS.indexOf(part);
		};
	}

	/** A part's own address, around the gateway. */
	private static URI direct(String part, String path) {
		return URI.create("http://127.0.0.1:" + port(part) + path);
	}

	/**
	 * Kills reporte or the logger between making a batch durable and acknowledging it:
	 * strace holds the listener's thread for seconds at the exit of the call that makes
	 * it durable (the rename of reporte's counts file, the logger's fdatasync), and the
	 * part is killed then. Once started again, the part must take the batch the broker
	 * hands back for a copy of what it already has: its duplicates meter shows that the
	 * kill came at the right moment.
	 */
	void killBetweenDurableAndAck(String part) throws IOException, InterruptedException {
		String calls = part.equals("reporte") ? "rename,renameat,renameat2" : "fdatasync";
		String durable = part.equals("reporte") ? "counts.json\"" : "fdatasync(";
		String meter = part.equals("reporte") ? "registro_duplicates_total" : "registro_logger_events_duplicates_total";
		String pid = Files.readString(STATE.resolve("pids/" + part + ".pid")).trim();
		Path trace = Files.createTempFile(Path.of("target"), "strace-" + part, ".txt");
		Process strace;
		try {
			strace = new ProcessBuilder("strace", "-f", "-qq", "-p", pid, "-e", "trace=" + calls, "-e",
					"inject=" + calls + ":delay_exit=5000000", "-o", trace.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("the chaos check needs strace (Debian: apt-get install strace)", ex);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!Files.readString(trace).contains(durable)) {
			if (System.nanoTime() > deadline || !strace.isAlive()) {
				strace.destroy();
				throw new IllegalStateException(
						"strace saw no " + calls + " of " + part + " within 60 s: " + Files.readString(trace));
			}
			Thread.sleep(10);
		}
		kill(part);
		strace.waitFor(30, TimeUnit.SECONDS);
		start();
		await().atMost(Duration.ofSeconds(60)).until(() -> meter(part, meter), count -> count > 0);
	}

	/** The value of a counter of a part's own, 0 when it has none yet. */
	double meter(String part, String name) throws IOException, InterruptedException {
		String text = send(HttpRequest.newBuilder(direct(part, "/actuator/prometheus"))
			.header("Authorization", basic(ADMIN, PASSWORD))
			.build()).body();
		return text.lines()
			.filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/** Kills a part of the stack at once (SIGKILL: nothing flushed, no shutdown hook). */
	void kill(String part) throws IOException, InterruptedException {
		String pid = Files.readString(STATE.resolve("pids/" + part + ".pid")).trim();
		Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IllegalStateException("could not kill " + part + " (pid " + pid + ")");
		}
		// SIGKILL only begins the end: a JVM's threads go one by one, and its port stays
		// taken until the kernel closes its files, after which it is gone or a zombie.
		await().atMost(Duration.ofSeconds(30)).until(() -> exited(pid));
	}

	private static boolean exited(String pid) {
		try {
			String stat = Files.readString(Path.of("/proc", pid, "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
		}
		catch (IOException ex) {
			return true;
		}
	}

	/**
	 * The command that restarts the tests' broker
	 * ({@code REGISTRO_BROKER_RESTART_COMMAND}, run with bash), or null: only a broker
	 * the test run started itself is restarted, and only the run knows how
	 * ({@code scripts/test.sh} sets it for the RabbitMQ 4 it starts).
	 */
	static String brokerRestartCommand() {
		String command = System.getenv("REGISTRO_BROKER_RESTART_COMMAND");
		return (command != null && !command.isBlank()) ? command : null;
	}

	/**
	 * Restarts the tests' broker: every connection drops and the queues recover from
	 * disk.
	 */
	void restartBroker() throws IOException, InterruptedException {
		String command = brokerRestartCommand();
		if (command == null) {
			throw new IllegalStateException(
					"REGISTRO_BROKER_RESTART_COMMAND is not set: no broker of the tests' own to restart");
		}
		Process process = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("restarting the broker with '" + command + "' failed");
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

	/** An admin's read of a part itself, around the gateway. */
	HttpResponse<String> getAsAdminFrom(String part, String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(direct(part, path)).header("Authorization", basic(ADMIN, PASSWORD)).build());
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static void script(Map<String, String> settings, String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/local-stack.sh").toString()));
		command.addAll(List.of(arguments));
		try {
			Path log = Files.createDirectories(Path.of("target")).resolve("local-stack.log");
			ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(TestBroker.get().environment());
			builder.environment().put("LOCAL_STACK_STATE", STATE.toString());
			builder.environment().put("LOCAL_STACK_BASE_PORT", Integer.toString(BASE_PORT));
			// The stack's settings are the tests' own, never the user's environment's.
			builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_"));
			builder.environment().putAll(settings);
			Process process = builder.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"scripts/local-stack.sh " + String.join(" ", arguments) + " hung; see " + log);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("scripts/local-stack.sh " + String.join(" ", arguments)
						+ " failed with " + process.exitValue() + ":\n" + Files.readString(log));
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
