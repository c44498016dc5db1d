package dev.registro.logger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The central logger: keeps the full history of every service's events, taken from the
 * {@code logs} fanout exchange, and serves it to the admin.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LoggerApplication {

	public static void main(String[] args) {
		SpringApplication.run(LoggerApplication.class, args);
	}

}
