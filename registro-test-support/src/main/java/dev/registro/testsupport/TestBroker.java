package dev.registro.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.registro.contract.Topology;

import org.springframework.amqp.core.Queue;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The RabbitMQ the tests run against when no container is started for them: the broker
 * that {@code SPRING_RABBITMQ_HOST}, {@code _PORT}, {@code _USERNAME} and
 * {@code _PASSWORD} name (default guest@localhost:5672), in a virtual host of the tests'
 * own, {@code SPRING_RABBITMQ_VIRTUAL_HOST} (default {@value #DEFAULT_VIRTUAL_HOST}), so
 * that the queues they purge are never a user's. Tests that start services as processes
 * pass {@link #environment()} on to them.
 */
public record TestBroker(String host, int port, String username, String password, String virtualHost, URI management) {

	/**
	 * The tests' virtual host, unless {@code SPRING_RABBITMQ_VIRTUAL_HOST} names another.
	 */
	public static final String DEFAULT_VIRTUAL_HOST = "registro-test";

	private static TestBroker checked;

	/**
	 * The broker of this run, checked once per JVM: it answers, and the tests' virtual
	 * host exists (made through the management API when it does not).
	 */
	public static synchronized TestBroker get() {
		if (checked == null) {
			TestBroker broker = fromEnvironment();
			broker.requireReachable();
			String version = broker.ensureVirtualHost();
			broker.deleteRegistroQueues();
			System.out.println("Tests run against RabbitMQ " + version + " at " + broker.host() + ":" + broker.port()
					+ ", virtual host " + broker.virtualHost());
			checked = broker;
		}
		return checked;
	}

	static TestBroker fromEnvironment() {
		String host = setting("SPRING_RABBITMQ_HOST", "localhost");
		int port = Integer.parseInt(setting("SPRING_RABBITMQ_PORT", "5672"));
		// RabbitMQ's convention, which scripts/rabbitmq4.sh follows too: management on
		// AMQP + 10000.
		URI management = URI.create(setting("REGISTRO_TEST_MANAGEMENT_URL", "http://" + host + ":" + (port + 10000)));
		return new TestBroker(host, port, setting("SPRING_RABBITMQ_USERNAME", "guest"),
				setting("SPRING_RABBITMQ_PASSWORD", "guest"),
				setting("SPRING_RABBITMQ_VIRTUAL_HOST", DEFAULT_VIRTUAL_HOST), management);
	}

	/**
	 * The same broker in another virtual host, made if need be: for a test that changes
	 * what other tests rely on (deletes or redeclares queues).
	 * {@link #deleteVirtualHost()} when done.
	 */
	public TestBroker inVirtualHost(String name) {
		TestBroker other = new TestBroker(this.host, this.port, this.username, this.password, name, this.management);
		other.ensureVirtualHost();
		return other;
	}

	/** Deletes this virtual host and everything in it. */
	public void deleteVirtualHost() {
		try {
			expectSuccess(send(managementClient(), "DELETE", "/api/vhosts/" + encoded(this.virtualHost), null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A connection factory of the RabbitMQ Java client for this broker and virtual host.
	 */
	public ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.host);
		factory.setPort(this.port);
		factory.setUsername(this.username);
		factory.setPassword(this.password);
		factory.setVirtualHost(this.virtualHost);
		return factory;
	}

	/**
	 * Starts every test JVM from empty queues: what an earlier run left in the tests'
	 * virtual host, maybe declared by an older registro with other arguments, would be
	 * refused by the services of this one.
	 */
	private void deleteRegistroQueues() {
		try (Connection connection = connectionFactory().newConnection("registro-tests")) {
			for (Queue queue : Topology.declarables().getDeclarablesByType(Queue.class)) {
				try (Channel channel = connection.createChannel()) {
					channel.queueDelete(queue.getName());
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not empty the tests' virtual host '" + this.virtualHost + "': " + ex,
					ex);
		}
	}

	/**
	 * The version the broker says it is, connected to the virtual host as the tests will
	 * be.
	 */
	private String version() throws IOException, TimeoutException {
		try (Connection connection = connectionFactory().newConnection("registro-tests")) {
			return String.valueOf(connection.getServerProperties().get("version"));
		}
	}

	/** The broker settings a service started by a test gets, as environment variables. */
	public Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("SPRING_RABBITMQ_HOST", this.host);
		environment.put("SPRING_RABBITMQ_PORT", Integer.toString(this.port));
		environment.put("SPRING_RABBITMQ_USERNAME", this.username);
		environment.put("SPRING_RABBITMQ_PASSWORD", this.password);
		environment.put("SPRING_RABBITMQ_VIRTUAL_HOST", this.virtualHost);
		return environment;
	}

	/** Points the application under test at this broker. */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.host", this::host);
		registry.add("spring.rabbitmq.port", this::port);
		registerAccount(registry);
	}

	/**
	 * The account and virtual host only, for a test that reaches the broker another way.
	 */
	public void registerAccount(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.username", this::username);
		registry.add("spring.rabbitmq.password", this::password);
		registry.add("spring.rabbitmq.virtual-host", this::virtualHost);
	}

	private void requireReachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 2000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"These tests need a real RabbitMQ and none answers at " + this.host + ":" + this.port + " ("
							+ ex.getMessage() + "). Run them with scripts/test.sh, which starts a RabbitMQ 4 "
							+ "of their own; or point SPRING_RABBITMQ_HOST and SPRING_RABBITMQ_PORT at one; "
							+ "or run a Docker engine so that Testcontainers starts one.",
					ex);
		}
	}

	/**
	 * Makes the virtual host through the management API, and gives the user every right
	 * in it, unless the user can connect to it already.
	 * @return the broker's version
	 */
	private String ensureVirtualHost() {
		try {
			return version();
		}
		catch (IOException | TimeoutException ex) {
			// no such virtual host, or no rights in it: made below
		}
		String vhost = encoded(this.virtualHost);
		String user = encoded(this.username);
		try {
			HttpClient http = managementClient();
			expectSuccess(send(http, "PUT", "/api/vhosts/" + vhost, "{}"));
			expectSuccess(send(http, "PUT", "/api/permissions/" + vhost + "/" + user,
					"{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"));
			return version();
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			throw new IllegalStateException(
					"The tests use the virtual host '" + this.virtualHost + "' of the broker at " + this.host + ":"
							+ this.port + ", and could neither connect to it nor make it through the management API at "
							+ this.management + " (" + ex + "). Make it yourself: rabbitmqctl add_vhost "
							+ this.virtualHost + " && rabbitmqctl set_permissions -p " + this.virtualHost + " "
							+ this.username + " '.*' '.*' '.*'; or name another with SPRING_RABBITMQ_VIRTUAL_HOST, "
							+ "or the management API with REGISTRO_TEST_MANAGEMENT_URL.",
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * HTTP/1.1: the management API's server closes a connection that asks to upgrade with
	 * a body.
	 */
	private static HttpClient managementClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(3))
			.build();
	}

	private HttpResponse<String> send(HttpClient http, String method, String path, String json)
			throws IOException, InterruptedException {
		String credentials = Base64.getEncoder()
			.encodeToString((this.username + ":" + this.password).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(this.management.resolve(path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/json")
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody())
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String encoded(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static void expectSuccess(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
					+ response.statusCode() + " " + response.body());
		}
	}

	private static String setting(String variable, String otherwise) {
		String value = System.getenv(variable);
		return (value != null && !value.isBlank()) ? value : otherwise;
	}

}
