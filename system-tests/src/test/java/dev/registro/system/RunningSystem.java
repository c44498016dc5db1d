package dev.registro.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The whole system as packaged jars, started once for all system tests of this JVM and
 * stopped when it exits: reporte and logger (over fresh state), and one client with a
 * service id of its own. The panel and the gateway are tested with the local stack, in
 * e2e-tests.
 */
final class RunningSystem {

	static final String ADMIN = "admin";

	static final String PASSWORD = "123";

	private static RunningSystem instance;

	final String serviceId = "sys-" + UUID.randomUUID().toString().substring(0, 8);

	private ServiceProcess reporte;

	private ServiceProcess logger;

	final ServiceProcess cliente;

	private final HttpClient http = HttpClient.newHttpClient();

	private RunningSystem() throws IOException {
		Path history = Files.createTempDirectory("system-tests-logger");
		Path counts = Files.createTempDirectory("system-tests-reporte").resolve("counts.json");
		this.reporte = ServiceProcess.start("reporte-service", "reporte",
				Map.of("REGISTRO_REPORTE_STATE_FILE", counts.toString()));
		this.logger = ServiceProcess.start("logger-service", "logger",
				Map.of("REGISTRO_LOGGER_DIRECTORY", history.toString()));
		this.cliente = ServiceProcess.start("cliente-service", "cliente-" + this.serviceId,
				Map.of("SERVICE_ID", this.serviceId));
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "system-tests-stop"));
	}

	static synchronized RunningSystem get() {
		if (instance == null) {
			try {
				instance = new RunningSystem();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return instance;
	}

	synchronized ServiceProcess reporte() {
		return this.reporte;
	}

	synchronized void killAndRestartReporte() throws IOException, InterruptedException {
		this.reporte = this.reporte.killAndRestart();
	}

	synchronized void stopReporte() {
		this.reporte.close();
	}

	synchronized void startReporteAgain() throws IOException {
		this.reporte = this.reporte.restart();
	}

	synchronized ServiceProcess logger() {
		return this.logger;
	}

	synchronized void stopLogger() {
		this.logger.close();
	}

	synchronized void startLoggerAgain() throws IOException {
		this.logger = this.logger.restart();
	}

	/** A GET as the admin, which must answer 200. */
	String admin(URI uri) throws IOException, InterruptedException {
		return ServiceProcess.admin(uri);
	}

	HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private void stop() {
		for (ServiceProcess service : new ServiceProcess[] { this.cliente, this.logger, this.reporte }) {
			if (service != null) {
				service.close();
			}
		}
	}

}
