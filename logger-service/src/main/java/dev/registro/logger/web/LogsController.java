package dev.registro.logger.web;

import java.io.IOException;
import java.time.ZoneId;
import java.util.stream.Collectors;

import dev.registro.logger.history.EventLog;
import dev.registro.logger.history.LogPage;
import dev.registro.logger.history.LogQuery;
import dev.registro.logger.history.StoredEvent;
import dev.registro.logger.history.Times;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * The history, newest first, in three forms: a page for people ({@code /logs}), JSON for
 * programs ({@code /logs?format=json}) and the original's text lines
 * ({@code /logs?format=text}). All take the same filters: {@code service}, {@code q} (text in
 * the message), {@code before} (older than, for paging), {@code after} (newer than: a cursor)
 * and {@code limit}.
 */
@Controller
class LogsController {

	static final int MAX_LIMIT = 1000;

	private final EventLog history;

	private final ZoneId zone = ZoneId.systemDefault();

	LogsController(EventLog history) {
		this.history = history;
	}

	@GetMapping(path = "/logs", params = "!format")
	String page(@RequestParam(required = false) String service, @RequestParam(required = false) String q,
			@RequestParam(required = false) Long before, @RequestParam(defaultValue = "50") int limit, Model model)
			throws IOException {
		LogPage page = this.history.read(query(service, q, null, before, limit));
		model.addAttribute("page", page);
		model.addAttribute("service", (service != null) ? service : "");
		model.addAttribute("q", (q != null) ? q : "");
		model.addAttribute("limit", limit);
		model.addAttribute("times", new ReadableTimes(this.zone));
		return "logs";
	}

	@GetMapping(path = "/logs", params = "format=json", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	LogPage json(@RequestParam(required = false) String service, @RequestParam(required = false) String q,
			@RequestParam(required = false) Long after, @RequestParam(required = false) Long before,
			@RequestParam(defaultValue = "100") int limit) throws IOException {
		return this.history.read(query(service, q, after, before, limit));
	}

	@GetMapping(path = "/logs", params = "format=text", produces = MediaType.TEXT_PLAIN_VALUE)
	@ResponseBody
	String text(@RequestParam(required = false) String service, @RequestParam(required = false) String q,
			@RequestParam(required = false) Long after, @RequestParam(required = false) Long before,
			@RequestParam(defaultValue = "100") int limit) throws IOException {
		LogPage page = this.history.read(query(service, q, after, before, limit));
		return page.events().stream().map(event -> event.originalLine(this.zone) + "\n").collect(Collectors.joining());
	}

	@GetMapping(path = "/logs", params = { "format", "format!=json", "format!=text" })
	void unknownFormat() {
		throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "format must be json or text, or left out for the page");
	}

	private static LogQuery query(String service, String q, Long after, Long before, int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
		}
		if ((after != null && after < 0) || (before != null && before < 1)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after must be at least 0 and before at least 1");
		}
		return new LogQuery(service, q, after, before, limit);
	}

	/** Readable local times for the page. */
	public record ReadableTimes(ZoneId zone) {

		public String of(StoredEvent event) {
			return Times.readable(event.time(), this.zone);
		}

	}

}
