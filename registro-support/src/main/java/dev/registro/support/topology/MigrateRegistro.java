package dev.registro.support.topology;

import java.util.Map;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code scripts/migrate-registro.sh}: runs {@link QueueMigration} against the broker
 * that the services' own settings name ({@code SPRING_RABBITMQ_*}), read by Spring Boot
 * as the services read them.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration(RabbitAutoConfiguration.class)
public class MigrateRegistro {

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(MigrateRegistro.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setDefaultProperties(Map.of("logging.level.root", "WARN", "logging.level.dev.registro", "INFO"));
		try (ConfigurableApplicationContext context = application.run(args);
				Connection connection = context.getBean(ConnectionFactory.class).createConnection()) {
			new QueueMigration(connection.getDelegate()).run();
		}
	}

}
