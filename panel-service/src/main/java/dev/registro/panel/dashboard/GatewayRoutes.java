package dev.registro.panel.dashboard;

import java.util.List;

import dev.registro.panel.dashboard.PanelState.Route;

import org.springframework.stereotype.Component;

/**
 * The routes the gateway serves, as the original's panel listed its "Rutas activas"; the
 * words that describe each are in the panel's messages. The end-to-end tests ask the
 * gateway for every one of them.
 */
@Component
public class GatewayRoutes {

	private static final List<Route> ROUTES = List.of(
			new Route("/cliente/uno, /cliente/dos, /cliente/tres", "GET, POST", "anyone", "route.register"),
			new Route("/reporte", "GET", "admin", "route.reporte"),
			new Route("/reportes", "GET", "admin", "route.reportes"), new Route("/logs", "GET", "admin", "route.logs"),
			new Route("/panel", "GET", "admin", "route.panel"),
			new Route("/healthz", "GET", "anyone", "route.healthz"));

	public List<Route> all() {
		return ROUTES;
	}

}
