package dev.registro.panel.dashboard;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.registro.contract.Topology;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.PartHealth;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The panel's calls to the other parts: reporte and logger as the admin, every part's
 * readiness, the broker's queue depths over AMQP, and a registration on a client. Each
 * call is bounded by the configured timeout.
 */
@Component
public class Parts {

	private final RestClient rest;

	private final PanelProperties properties;

	private final AmqpAdmin broker;

	private final Clock clock;

	Parts(RestClient.Builder builder, PanelProperties properties, AmqpAdmin broker, Clock clock) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(properties.timeout());
		requests.setReadTimeout(properties.timeout());
		this.rest = builder.requestFactory(requests).build();
		this.properties = properties;
		this.broker = broker;
		this.clock = clock;
	}

	/** reporte's {@code /reportes/resumen}. */
	PartAnswers.Summary summary() {
		return this.rest.get()
			.uri(this.properties.reporteUrl().resolve("/reportes/resumen"))
			.headers(headers -> headers.setBasicAuth(this.properties.username(), this.properties.password()))
			.retrieve()
			.body(PartAnswers.Summary.class);
	}

	/**
	 * The newest events of the central log, of one service or of all when {@code service}
	 * is null.
	 */
	List<LogLine> logTail(String service, int limit) {
		URI uri = UriComponentsBuilder.fromUri(this.properties.loggerUrl())
			.path("/logs")
			.queryParam("format", "json")
			.queryParam("limit", limit)
			.queryParamIfPresent("service", Optional.ofNullable(service))
			.build()
			.toUri();
		PartAnswers.LoggerPage page = this.rest.get()
			.uri(uri)
			.headers(headers -> headers.setBasicAuth(this.properties.username(), this.properties.password()))
			.retrieve()
			.body(PartAnswers.LoggerPage.class);
		return (page != null) ? page.lines(this.clock.getZone()) : List.of();
	}

	/** A part's readiness probe, as UP, DOWN or UNREACHABLE; never throws. */
	PartHealth health(String name, URI baseUrl) {
		Instant now = this.clock.instant();
		try {
			this.rest.get().uri(baseUrl.resolve("/actuator/health/readiness")).retrieve().toBodilessEntity();
			return new PartHealth(name, "UP", "health.ready", List.of(), now);
		}
		catch (RestClientResponseException ex) {
			HttpStatusCode status = ex.getStatusCode();
			return new PartHealth(name, "DOWN", "health.not-ready", List.of(Integer.toString(status.value())), now);
		}
		catch (RuntimeException ex) {
			return new PartHealth(name, "UNREACHABLE", "health.unreachable", List.of(describe(ex)), now);
		}
	}

	/**
	 * Messages waiting in {@code registro} and {@code registro.dlq}; throws when the
	 * broker does not answer.
	 */
	long[] queueDepths() {
		return new long[] { depth(Topology.REGISTRO_QUEUE), depth(Topology.REGISTRO_DLQ) };
	}

	/**
	 * Registers once on the client, as a person would through its route; returns its
	 * answer.
	 */
	ClientAnswer register(PanelProperties.Client client) {
		try {
			String body = this.rest.post().uri(client.url().resolve("/")).retrieve().body(String.class);
			return new ClientAnswer(200, body);
		}
		catch (RestClientResponseException ex) {
			return new ClientAnswer(ex.getStatusCode().value(), ex.getResponseBodyAsString());
		}
		catch (RuntimeException ex) {
			return new ClientAnswer(502, null);
		}
	}

	static String describe(Throwable ex) {
		String message = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	private long depth(String queue) {
		QueueInformation info = this.broker.getQueueInfo(queue);
		return (info != null) ? info.getMessageCount() : 0;
	}

}
