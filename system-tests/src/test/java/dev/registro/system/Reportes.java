package dev.registro.system;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

import static org.awaitility.Awaitility.await;

/** What the system tests ask of reporte instances. */
final class Reportes {

	private Reportes() {
	}

	/** A service's count, as the instance answers {@code /reportes}. */
	static long counted(ServiceProcess reporte, String serviceId) throws IOException, InterruptedException {
		Map<String, Number> counts = JsonPath.read(ServiceProcess.admin(reporte.uri("/reportes")), "$");
		return counts.getOrDefault(serviceId, 0).longValue();
	}

	/**
	 * The instance that takes registrations off the queue: the one whose consumed meter
	 * grows.
	 */
	static ServiceProcess counting(ServiceProcess... instances) throws Exception {
		double[] before = new double[instances.length];
		for (int i = 0; i < instances.length; i++) {
			before[i] = consumed(instances[i]);
		}
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			for (int i = 0; i < instances.length; i++) {
				if (consumed(instances[i]) > before[i]) {
					return instances[i];
				}
			}
			return null;
		}, instance -> instance != null);
	}

	private static double consumed(ServiceProcess reporte) throws IOException, InterruptedException {
		return ServiceProcess.admin(reporte.uri("/actuator/prometheus"))
			.lines()
			.filter(line -> line.startsWith("registro_consumed_total"))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
