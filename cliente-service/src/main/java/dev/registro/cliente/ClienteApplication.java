package dev.registro.cliente;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A client service: registers its activity by publishing to RabbitMQ. One jar, run once
 * per service id ({@code SERVICE_ID=app1}, {@code app2}, …).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClienteApplication {

	public static void main(String[] args) {
		SpringApplication.run(ClienteApplication.class, args);
	}

}
