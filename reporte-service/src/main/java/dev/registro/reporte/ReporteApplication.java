package dev.registro.reporte;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The report service: counts the registrations on the {@code registro} queue per service
 * and serves the counts to the admin.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReporteApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReporteApplication.class, args);
	}

}
