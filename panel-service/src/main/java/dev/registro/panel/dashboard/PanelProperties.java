package dev.registro.panel.dashboard;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the panel finds the other parts, and how often it looks.
 *
 * @param reporteUrl base URL of reporte-service
 * @param loggerUrl base URL of logger-service
 * @param clients the clients, in the order the panel shows them
 * @param username the admin the panel calls reporte and logger as
 * @param password that admin's password, in plain text
 * @param refresh how often the panel samples the parts, and the page polls the panel
 * @param timeout how long one call to a part may take before the part counts as down
 * @param rateWindow how far back the registrations-per-second chart goes
 * @param logTail how many events of the central log the panel shows
 */
@ConfigurationProperties("registro.panel")
@Validated
public record PanelProperties(@DefaultValue("http://localhost:8084") @NotNull URI reporteUrl,
		@DefaultValue("http://localhost:8085") @NotNull URI loggerUrl, @NotEmpty List<@Valid Client> clients,
		@NotBlank String username, @NotBlank String password, @DefaultValue("2s") @NotNull Duration refresh,
		@DefaultValue("1500ms") @NotNull Duration timeout, @DefaultValue("5m") @NotNull Duration rateWindow,
		@DefaultValue("15") int logTail) {

	/**
	 * @param serviceId the client's service id
	 * @param url its base URL, as the panel reaches it
	 * @param route its route through the gateway, for people
	 */
	public record Client(@NotBlank String serviceId, @NotNull URI url, @NotBlank String route) {
	}

}
