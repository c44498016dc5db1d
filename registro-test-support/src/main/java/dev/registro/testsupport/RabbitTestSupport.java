package dev.registro.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * A real RabbitMQ for integration tests. Where a Docker engine runs, a throw-away
 * container wired in with {@code @ServiceConnection}; otherwise the {@link TestBroker},
 * in the tests' own virtual host, which must then be reachable: a test never passes
 * silently without a broker. {@code registro.test.external-broker=true} forces the second
 * way even with Docker.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RabbitTestSupport {

	/** The image of the series docker-compose.yml runs. */
	public static final String IMAGE = "rabbitmq:4.3-management-alpine";

	private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

	@Bean
	@ServiceConnection
	@Conditional(UseContainer.class)
	RabbitMQContainer rabbitContainer() {
		// What registro asks of its broker, as compose mounts it (the tests run in a
		// module's folder).
		return new RabbitMQContainer(DockerImageName.parse(IMAGE)).withCopyFileToContainer(
				MountableFile.forHostPath(Path.of("..", "rabbitmq", "registro.conf")),
				"/etc/rabbitmq/conf.d/30-registro.conf");
	}

	@Bean
	@Conditional(UseExternalBroker.class)
	DynamicPropertyRegistrar testBroker() {
		TestBroker broker = TestBroker.get();
		return broker::register;
	}

	static boolean useContainer(Environment environment) {
		if (environment.getProperty("registro.test.external-broker", Boolean.class, false)) {
			return false;
		}
		// Testcontainers logs an ERROR for every context that asks where there is no
		// Docker at all.
		return (System.getenv("DOCKER_HOST") != null || Files.exists(DOCKER_SOCKET))
				&& DockerClientFactory.instance().isDockerAvailable();
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
