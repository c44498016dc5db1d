package dev.registro.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the gateway's template and the contract (docs/design.md) agree on
 * the routes and the service ids. Compose cannot run here, so this is what checks it.
 */
class ConfigurationAgreementTests {

	private static final Path ROOT = LocalStack.ROOT;

	private static final Map<String, String> CLIENTS = Map.of("cliente-1", "app1", "cliente-2", "app2", "cliente-3",
			"app3");

	private static final Map<String, String> ROUTES = Map.of("/cliente/uno", "CLIENTE_UNO_ADDR", "/cliente/dos",
			"CLIENTE_DOS_ADDR", "/cliente/tres", "CLIENTE_TRES_ADDR");

	@Test
	void theGatewayHasALocationForEveryRouteOfTheContract() throws IOException {
		Set<String> routes = new LinkedHashSet<>();
		String contract = Files.readString(ROOT.resolve("docs/design.md"));
		String table = contract.substring(contract.indexOf("## Routes through the gateway"));
		Matcher route = Pattern.compile("`(/[a-z/]+)`").matcher(table.substring(0, table.indexOf("\n## ", 5)));
		while (route.find()) {
			routes.add(route.group(1));
		}
		assertThat(routes).contains("/cliente/uno", "/cliente/dos", "/cliente/tres", "/reporte", "/reportes", "/logs",
				"/panel", "/healthz");

		Set<String> exact = new LinkedHashSet<>();
		Set<String> prefixes = new LinkedHashSet<>();
		Matcher location = Pattern.compile("location (= )?(/\\S*) ").matcher(template());
		while (location.find()) {
			(location.group(1) != null ? exact : prefixes).add(location.group(2));
		}
		prefixes.remove("/");
		for (String path : routes) {
			assertThat(exact.contains(path) || prefixes.stream().anyMatch(path::startsWith))
				.as("a location for " + path + " among " + exact + " and the prefixes " + prefixes)
				.isTrue();
		}
	}

	@Test
	void everyClientRouteReachesTheComposeServiceOfItsServiceId() throws IOException {
		Map<String, Object> services = services();
		Map<String, Object> gatewayEnvironment = environment(services.get("gateway"));
		String template = template();
		ROUTES.forEach((path, variable) -> {
			Matcher proxied = Pattern
				.compile("location = " + Pattern.quote(path) + " +\\{[^}]*proxy_pass http://(\\w+)/;")
				.matcher(template);
			assertThat(proxied.find()).as(path).isTrue();
			assertThat(template).contains("upstream " + proxied.group(1) + " ")
				.containsPattern("upstream " + proxied.group(1) + " +\\{ server \\$\\{" + variable + "\\};");
			String address = (String) gatewayEnvironment.get(variable);
			String composeService = address.substring(0, address.indexOf(':'));
			assertThat(environment(services.get(composeService)).get("SERVICE_ID")).as(path)
				.isEqualTo(CLIENTS.get(composeService));
		});
	}

	@Test
	void thePanelKnowsEachClientByTheSameIdAndRoute() throws IOException {
		Map<String, Object> panel = environment(services().get("panel"));
		for (int i = 0; i < 3; i++) {
			String serviceId = (String) panel.get("REGISTRO_PANEL_CLIENTS_" + i + "_SERVICEID");
			String url = (String) panel.get("REGISTRO_PANEL_CLIENTS_" + i + "_URL");
			String route = (String) panel.get("REGISTRO_PANEL_CLIENTS_" + i + "_ROUTE");
			String composeService = url.replace("http://", "").replaceAll(":\\d+$", "");
			assertThat(CLIENTS.get(composeService)).as(url).isEqualTo(serviceId);
			assertThat(ROUTES).containsKey(route);
			assertThat(ROUTES.get(route)).startsWith("CLIENTE_" + List.of("UNO", "DOS", "TRES").get(i));
		}
	}

	@Test
	void onlyTheGatewayAndTheManagementUiArePublishedAndEveryServiceIsWatchedAndBounded() throws IOException {
		services().forEach((name, service) -> {
			Object ports = ((Map<?, ?>) service).get("ports");
			switch (name) {
				case "gateway" -> assertThat(ports).isEqualTo(List.of("80:80"));
				case "rabbitmq" -> assertThat(ports).isEqualTo(List.of("15672:15672"));
				default -> assertThat(ports).as(name).isNull();
			}
			assertThat(((Map<?, ?>) service).get("healthcheck")).as(name + " has a healthcheck").isNotNull();
			assertThat(((Map<?, ?>) service).get("mem_limit")).as(name + " has a memory limit").isNotNull();
		});
	}

	private static String template() throws IOException {
		return Files.readString(ROOT.resolve("gateway-nginx/gateway.conf.template"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> services() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
		return (Map<String, Object>) compose.get("services");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> environment(Object service) {
		return (Map<String, Object>) ((Map<String, Object>) service).get("environment");
	}

}
