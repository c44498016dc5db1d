package dev.registro.reporte.web;

import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.registro.contract.Registro;
import dev.registro.reporte.counting.Tally;
import dev.registro.reporte.counting.Tally.ServiceSummary;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The counts, in the original's text form, as JSON, and with details for programs. */
@RestController
class ReportController {

	private final Tally tally;

	ReportController(Tally tally) {
		this.tally = tally;
	}

	/**
	 * The original's answer, Python's {@code str(dict)}: {@code {'app1': 52, 'app2':
	 * 52}}. Service ids never need quoting beyond the single quotes: they are letters,
	 * digits, '.', '_' and '-' only.
	 */
	@GetMapping(path = "/reporte", produces = MediaType.TEXT_PLAIN_VALUE)
	String reporte() {
		return completeTally().counts()
			.entrySet()
			.stream()
			.map(entry -> "'" + entry.getKey() + "': " + entry.getValue())
			.collect(Collectors.joining(", ", "{", "}"));
	}

	@GetMapping(path = "/reportes", produces = MediaType.APPLICATION_JSON_VALUE)
	SortedMap<String, Long> reportes() {
		return completeTally().counts();
	}

	@GetMapping(path = "/reportes/resumen", produces = MediaType.APPLICATION_JSON_VALUE)
	Resumen resumen() {
		Tally.Summary summary = completeTally().summary();
		return new Resumen(summary.total(), summary.rejected(),
				summary.services().stream().map(ServiceView::new).toList());
	}

	/**
	 * The counts, once they are all there: an instance still catching up with the
	 * changelog answers 503, so the gateway asks another.
	 */
	private Tally completeTally() {
		if (!this.tally.complete()) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"still catching up with the counts of the other instances");
		}
		return this.tally;
	}

	record Resumen(long total, long rejected, List<ServiceView> services) {
	}

	/**
	 * {@code last_registration} in the registrations' own form,
	 * {@code yyyy-MM-dd HH:mm:ss}.
	 */
	record ServiceView(@JsonProperty("service_id") String serviceId, long count,
			@JsonProperty("last_registration") String lastRegistration) {

		ServiceView(ServiceSummary summary) {
			this(summary.serviceId(), summary.count(), (summary.lastRegistration() != null)
					? Registro.TIMESTAMP_FORMAT.format(summary.lastRegistration()) : null);
		}

	}

}
