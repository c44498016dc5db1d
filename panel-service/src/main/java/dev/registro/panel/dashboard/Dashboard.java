package dev.registro.panel.dashboard;

import java.time.Clock;
import java.util.List;

import dev.registro.panel.dashboard.PanelState.Route;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Service;

/**
 * What the panel knows of the system, put together for a page: what the sampler last
 * heard from every part, the rates, the central log's tail of the page's filter, the
 * routes, and registrations on the clients.
 */
@Service
public class Dashboard implements InitializingBean, DisposableBean {

	private final Parts parts;

	private final PanelProperties properties;

	private final Clock clock;

	private final RateWindow rates;

	private final Sampler sampler;

	private final LogTails tails;

	private final List<Route> routes;

	Dashboard(Parts parts, PanelProperties properties, GatewayRoutes routes, Clock clock) {
		this.parts = parts;
		this.properties = properties;
		this.clock = clock;
		this.rates = new RateWindow(properties.rateWindow());
		this.sampler = new Sampler(parts, properties, this.rates, clock);
		this.tails = new LogTails(parts, properties.logTail(), properties.refresh(), clock);
		this.routes = routes.all();
	}

	@Override
	public void afterPropertiesSet() {
		this.sampler.start();
	}

	/** The whole state, with the log tail of {@code service} (all services when null). */
	public PanelState state(String service) {
		return new PanelState(this.clock.instant(), this.properties.refresh().toMillis(), this.sampler.counts(),
				this.rates.rates(), this.tails.of(service), this.sampler.health(), this.sampler.queues(), this.routes,
				this.properties.clients().stream().map(PanelProperties.Client::serviceId).toList());
	}

	/** Registers once on the named client; null when no such client is configured. */
	public ClientAnswer register(String serviceId) {
		return this.properties.clients()
			.stream()
			.filter(client -> client.serviceId().equals(serviceId))
			.findFirst()
			.map(this.parts::register)
			.orElse(null);
	}

	/** Asks every part now, as the sampler does at every refresh. */
	void sample() {
		this.sampler.sample();
	}

	@Override
	public void destroy() {
		this.sampler.close();
	}

}
