package dev.registro.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A real RabbitMQ for integration tests. Where a Docker engine runs, a throw-away container
 * wired in with {@code @ServiceConnection}; otherwise the broker that
 * {@code spring.rabbitmq.host}/{@code port} name (from {@code SPRING_RABBITMQ_HOST} and
 * {@code _PORT}, default localhost:5672), which must then be reachable: a test never passes
 * silently without a broker. {@code registro.test.external-broker=true} forces the second
 * way even with Docker.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RabbitTestSupport {

	/** A pinned image of the same major line the compose file uses. */
	public static final String IMAGE = "rabbitmq:4.1-management-alpine";

	@Bean
	@ServiceConnection
	@Conditional(UseContainer.class)
	RabbitMQContainer rabbitContainer() {
		return new RabbitMQContainer(DockerImageName.parse(IMAGE));
	}

	@Bean
	@Conditional(UseExternalBroker.class)
	ExternalBroker externalBroker(Environment environment) {
		String host = environment.getProperty("spring.rabbitmq.host", "localhost");
		int port = environment.getProperty("spring.rabbitmq.port", Integer.class, 5672);
		ExternalBroker.requireReachable(host, port);
		return new ExternalBroker(host, port);
	}

	/** The local broker the tests run against, checked to be reachable. */
	public record ExternalBroker(String host, int port) {

		static void requireReachable(String host, int port) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(host, port), 2000);
			}
			catch (IOException ex) {
				throw new IllegalStateException("These tests need a real RabbitMQ and none answers at " + host + ":"
						+ port + " (" + ex.getMessage() + "). Start one (as root: rabbitmq-server -detached), "
						+ "point SPRING_RABBITMQ_HOST and SPRING_RABBITMQ_PORT at one, "
						+ "or run a Docker engine so that Testcontainers starts one.", ex);
			}
		}

	}

	static boolean useContainer(Environment environment) {
		if (environment.getProperty("registro.test.external-broker", Boolean.class, false)) {
			return false;
		}
		return DockerClientFactory.instance().isDockerAvailable();
	}

	static class UseContainer implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return useContainer(context.getEnvironment());
		}

	}

	static class UseExternalBroker implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !useContainer(context.getEnvironment());
		}

	}

}
