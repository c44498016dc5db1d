package dev.registro.panel.web;

import java.util.Locale;

import dev.registro.panel.dashboard.ClientAnswer;
import dev.registro.panel.dashboard.Dashboard;
import dev.registro.panel.dashboard.PanelState;
import dev.registro.contract.Registro;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The dashboard page, first painted on the server with the data the panel has, and the
 * two calls its script makes: the state, polled, and a registration for a client. All of
 * them same-origin, so the browser's own admin login is what authorizes them; the page
 * holds no credential.
 */
@Controller
class PanelController {

	private final Dashboard dashboard;

	private final JsonMapper json;

	private final MessageSource messages;

	PanelController(Dashboard dashboard, JsonMapper json, MessageSource messages) {
		this.dashboard = dashboard;
		this.json = json;
		this.messages = messages;
	}

	@GetMapping("/")
	String page(@RequestParam(required = false) String service, Locale locale, Model model) {
		PanelState state = state(service, locale);
		model.addAttribute("state", state);
		model.addAttribute("stateJson", scriptSafe(this.json.writeValueAsString(state)));
		return "panel";
	}

	/** The state the page polls, with what it tells people in their language. */
	@GetMapping(path = "/api/state", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	PanelState state(@RequestParam(required = false) String service, Locale locale) {
		PanelState state = this.dashboard.state(validService(service));
		return state.withParts(state.parts()
			.stream()
			.map(part -> part.told(this.messages.getMessage(part.detailKey(), part.detailArgs().toArray(), locale)))
			.toList());
	}

	@PostMapping(path = "/api/register/{serviceId}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> register(@PathVariable String serviceId) {
		ClientAnswer answer = this.dashboard.register(serviceId);
		if (answer == null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(this.json.writeValueAsString(new Problem(serviceId, "no such client in this panel")));
		}
		if (answer.body() == null) {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
				.body(this.json.writeValueAsString(new Problem(serviceId, "the client did not answer")));
		}
		return ResponseEntity.status(answer.status()).body(answer.body());
	}

	private static String validService(String service) {
		return (service != null && Registro.isValidServiceId(service)) ? service : null;
	}

	/**
	 * JSON that cannot end the script element it is embedded in, whatever the log says.
	 */
	static String scriptSafe(String json) {
		return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
	}

	record Problem(String service, String error) {
	}

}
