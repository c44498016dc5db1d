package dev.registro.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * docker-compose.yml, the gateway's templates and the contract (docs/design.md) agree on
 * the routes, the service ids, what is published and whom the services trust; compose's
 * preflight refuses the example's passwords. Compose cannot run here, so this is what
 * checks it.
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
				case "gateway" -> assertThat(ports)
					.isEqualTo(List.of("${GATEWAY_HTTP_PORT:-80}:80", "${GATEWAY_HTTPS_PORT:-443}:443"));
				// The management UI answers with the broker's own password: this machine
				// only.
				case "rabbitmq" -> assertThat(ports).isEqualTo(List.of("127.0.0.1:15672:15672"));
				default -> assertThat(ports).as(name).isNull();
			}
			if (!name.equals("preflight")) {
				assertThat(((Map<?, ?>) service).get("healthcheck")).as(name + " has a healthcheck").isNotNull();
				assertThat(((Map<?, ?>) service).get("mem_limit")).as(name + " has a memory limit").isNotNull();
			}
		});
	}

	@Test
	void theServicesBelieveForwardedHeadersFromTheGatewaysFixedAddressOnly() throws IOException {
		Map<String, Object> compose = compose();
		Map<?, ?> network = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) compose.get("networks")).get("default")).get("ipam");
		String subnet = (String) ((Map<?, ?>) ((List<?>) network.get("config")).get(0)).get("subnet");
		Map<?, ?> gateway = (Map<?, ?>) services().get("gateway");
		String address = (String) ((Map<?, ?>) ((Map<?, ?>) gateway.get("networks")).get("default"))
			.get("ipv4_address");
		assertThat(address).startsWith(subnet.substring(0, subnet.lastIndexOf('.') + 1));
		for (String service : List.of("cliente-1", "cliente-2", "cliente-3", "reporte", "logger", "panel")) {
			assertThat(environment(services().get(service))).as(service)
				.containsEntry("REGISTRO_GATEWAY_ADDRESSES", address);
		}
	}

	@Test
	void everyAdminRouteAndNoClientRouteIsRateLimitedAtTheGateway() throws IOException {
		Matcher location = Pattern.compile("location (= )?(/\\S*) +\\{([^}]*)\\}").matcher(template());
		Set<String> limited = new LinkedHashSet<>();
		while (location.find()) {
			String path = location.group(2);
			boolean limits = location.group(3).contains("limit_req zone=admin ");
			if (path.startsWith("/reporte") || path.startsWith("/logs") || path.startsWith("/panel")) {
				assertThat(limits).as(path).isTrue();
				limited.add(path);
			}
			else {
				assertThat(limits).as(path).isFalse();
			}
		}
		assertThat(limited).contains("/reporte", "/reportes", "/reportes/", "/logs", "/panel", "/panel/");
	}

	@Test
	void composeRefusesThePasswordsOfTheExampleAndUnsetOnesUnlessAllowed() throws Exception {
		Map<String, String> example = new HashMap<>();
		for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
			if (line.matches("[A-Z_]+=.*")) {
				example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
			}
		}
		// Compose's own fallbacks are the example's values, which the preflight refuses.
		Map<String, Object> java = environment(services().get("reporte"));
		assertThat(java.get("ADMIN_PASSWORD")).isEqualTo("${ADMIN_PASSWORD:-" + example.get("ADMIN_PASSWORD") + "}");
		assertThat(java.get("SPRING_RABBITMQ_PASSWORD"))
			.isEqualTo("${RABBITMQ_PASSWORD:-" + example.get("RABBITMQ_PASSWORD") + "}");

		assertThat(preflight(Map.of())).startsWith("1:").contains("ADMIN_PASSWORD is not set");
		assertThat(preflight(Map.of("ADMIN_PASSWORD", example.get("ADMIN_PASSWORD"), "RABBITMQ_PASSWORD", "b7-own")))
			.startsWith("1:")
			.contains("ADMIN_PASSWORD is still the value .env.example shows")
			.doesNotContain("RABBITMQ_PASSWORD is");
		assertThat(preflight(Map.of("ADMIN_PASSWORD", "a-own", "RABBITMQ_PASSWORD", example.get("RABBITMQ_PASSWORD"))))
			.startsWith("1:")
			.contains("RABBITMQ_PASSWORD is still the value .env.example shows");
		assertThat(preflight(Map.of("ADMIN_PASSWORD", "a-own", "RABBITMQ_PASSWORD", "b7-own"))).startsWith("0:");
		assertThat(preflight(Map.of("ALLOW_DEFAULT_CREDENTIALS", "true"))).startsWith("0:");
	}

	/**
	 * The preflight of compose, run here as its container runs it: "exit code:output".
	 */
	private static String preflight(Map<String, String> environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("/bin/sh", "scripts/compose-preflight.sh", ".env.example")
			.directory(ROOT.toFile())
			.redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.endsWith("_PASSWORD") || name.startsWith("ALLOW_"));
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		return process.waitFor() + ":" + output;
	}

	/** What the gateway's nginx gets: the upstreams and the routes of every server. */
	private static String template() throws IOException {
		return Files.readString(ROOT.resolve("gateway-nginx/upstreams.conf.template"))
				+ Files.readString(ROOT.resolve("gateway-nginx/routes.inc.template"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> compose() throws IOException {
		return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> services() throws IOException {
		return (Map<String, Object>) compose().get("services");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> environment(Object service) {
		return (Map<String, Object>) ((Map<String, Object>) service).get("environment");
	}

}
