package dev.registro.panel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The live dashboard: counts, rates, the central log's tail and the health of every part,
 * read from reporte, logger, the clients and the broker.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PanelApplication {

	public static void main(String[] args) {
		SpringApplication.run(PanelApplication.class, args);
	}

}
