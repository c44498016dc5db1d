package dev.registro.panel.dashboard;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.registro.contract.Topology;
import dev.registro.panel.dashboard.PanelState.LogLine;
import dev.registro.panel.dashboard.PanelState.PartHealth;
import dev.registro.panel.dashboard.PanelState.ServiceCount;

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
 * readiness, and the broker's queue depths over AMQP. Each call is bounded by the configured
 * timeout.
 */
@Component
public class Backends {

	private final RestClient rest;

	private final PanelProperties properties;

	private final AmqpAdmin broker;

	private final Clock clock;

	Backends(RestClient.Builder builder, PanelProperties properties, AmqpAdmin broker, Clock clock) {
		SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
		requests.setConnectTimeout(properties.timeout());
		requests.setReadTimeout(properties.timeout());
		this.rest = builder.requestFactory(requests).build();
		this.properties = properties;
		this.broker = broker;
		this.clock = clock;
	}

	/** reporte's {@code /reportes/resumen}. */
	Summary summary() {
		return this.rest.get()
			.uri(this.properties.reporteUrl().resolve("/reportes/resumen"))
			.headers(headers -> headers.setBasicAuth(this.properties.username(), this.properties.password()))
			.retrieve()
			.body(Summary.class);
	}

	/** The newest events of the central log, of one service or of all when {@code service} is null. */
	List<LogLine> logTail(String service, int limit) {
		URI uri = UriComponentsBuilder.fromUri(this.properties.loggerUrl())
			.path("/logs")
			.queryParam("format", "json")
			.queryParam("limit", limit)
			.queryParamIfPresent("service", Optional.ofNullable(service))
			.build()
			.toUri();
		LoggerPage page = this.rest.get()
			.uri(uri)
			.headers(headers -> headers.setBasicAuth(this.properties.username(), this.properties.password()))
			.retrieve()
			.body(LoggerPage.class);
		return (page != null) ? page.lines() : List.of();
	}

	/** A part's readiness probe, as UP, DOWN or UNREACHABLE; never throws. */
	PartHealth health(String name, URI baseUrl) {
		Instant now = this.clock.instant();
		try {
			this.rest.get().uri(baseUrl.resolve("/actuator/health/readiness")).retrieve().toBodilessEntity();
			return new PartHealth(name, "UP", "ready", now);
		}
		catch (RestClientResponseException ex) {
			HttpStatusCode status = ex.getStatusCode();
			return new PartHealth(name, "DOWN", "not ready (" + status.value() + ")", now);
		}
		catch (RuntimeException ex) {
			return new PartHealth(name, "UNREACHABLE", describe(ex), now);
		}
	}

	/** Messages waiting in {@code registro} and {@code registro.dlq}; throws when the broker does not answer. */
	long[] queueDepths() {
		return new long[] { depth(Topology.REGISTRO_QUEUE), depth(Topology.REGISTRO_DLQ) };
	}

	/** Registers once on the client, as a person would through its route; returns its answer. */
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

	/** What a client answered; {@code body} is null when it could not be reached. */
	public record ClientAnswer(int status, String body) {
	}

	/** reporte's summary, as it sends it. */
	record Summary(long total, long rejected, List<ServiceSummary> services) {

		List<ServiceCount> counts() {
			return this.services.stream()
				.map(service -> new ServiceCount(service.serviceId(), service.count(), service.lastRegistration()))
				.toList();
		}

	}

	record ServiceSummary(@JsonProperty("service_id") String serviceId, long count,
			@JsonProperty("last_registration") String lastRegistration) {
	}

	/** The part of logger's JSON page the panel uses. */
	record LoggerPage(List<LoggerEvent> events) {

		List<LogLine> lines() {
			return this.events.stream().map(LoggerEvent::line).toList();
		}

	}

	record LoggerEvent(long seq, Instant time, @JsonProperty("service_id") String serviceId, String level,
			String message, @JsonProperty("message_id") String messageId) {

		private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
			.withZone(ZoneId.systemDefault());

		LogLine line() {
			return new LogLine(this.seq, READABLE.format(this.time), this.serviceId, this.level, this.message,
					this.messageId);
		}

	}

}
