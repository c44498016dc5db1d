package dev.registro.logger.web;

import java.io.IOException;
import java.time.ZoneId;
import java.util.stream.Collectors;

import dev.registro.logger.history.EventLog;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import dev.registro.logger.history.LogPage;
import dev.registro.logger.history.LogQuery;
import dev.registro.logger.history.StoredEvent;
import dev.registro.logger.history.Times;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.ResponseStatusException;

/**
 * The history, newest first, in three forms: a page for people ({@code /logs}), JSON for
 * programs ({@code /logs?format=json}) and the original's text lines
 * ({@code /logs?format=text}). All take the same filters: {@code service}, {@code q}
 * (text in the message), {@code before} (older than, for paging), {@code after} (newer
 * than: a cursor) and {@code limit}.
 */
@Controller
class LogsController {

	static final int MAX_LIMIT = 1000;

	private static final String LIMIT = "limit must be between 1 and " + MAX_LIMIT;

	private static final String AFTER = "after must be at least 0";

	private static final String BEFORE = "before must be at least 1";

	private final EventLog history;

	private final ZoneId zone = ZoneId.systemDefault();

	LogsController(EventLog history) {
		this.history = history;
	}

	@GetMapping(path = "/logs", params = "!format")
	String page(@RequestParam(required = false) String service, @RequestParam(required = false) String q,
			@RequestParam(required = false) @Positive(message = BEFORE) Long before,
			@RequestParam(defaultValue = "50") @Min(value = 1, message = LIMIT) @Max(value = MAX_LIMIT,
					message = LIMIT) int limit,
			Model model) throws IOException {
		LogPage page = this.history.read(new LogQuery(service, q, null, before, limit));
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
			@RequestParam(required = false) @PositiveOrZero(message = AFTER) Long after,
			@RequestParam(required = false) @Positive(message = BEFORE) Long before,
			@RequestParam(defaultValue = "100") @Min(value = 1, message = LIMIT) @Max(value = MAX_LIMIT,
					message = LIMIT) int limit)
			throws IOException {
		return this.history.read(new LogQuery(service, q, after, before, limit));
	}

	@GetMapping(path = "/logs", params = "format=text", produces = MediaType.TEXT_PLAIN_VALUE)
	@ResponseBody
	String text(@RequestParam(required = false) String service, @RequestParam(required = false) String q,
			@RequestParam(required = false) @PositiveOrZero(message = AFTER) Long after,
			@RequestParam(required = false) @Positive(message = BEFORE) Long before,
			@RequestParam(defaultValue = "100") @Min(value = 1, message = LIMIT) @Max(value = MAX_LIMIT,
					message = LIMIT) int limit)
			throws IOException {
		LogPage page = this.history.read(new LogQuery(service, q, after, before, limit));
		return page.events().stream().map(event -> event.originalLine(this.zone) + "\n").collect(Collectors.joining());
	}

	@GetMapping(path = "/logs", params = { "format", "format!=json", "format!=text" })
	void unknownFormat() {
		throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
				"format must be json or text, or left out for the page");
	}

	/**
	 * A parameter out of range: 400 with the reason, as a page or as JSON like every
	 * other error.
	 */
	@ExceptionHandler(HandlerMethodValidationException.class)
	void invalid(HandlerMethodValidationException ex, HttpServletResponse response) throws IOException {
		response.sendError(HttpStatus.BAD_REQUEST.value(),
				ex.getAllErrors()
					.stream()
					.map(MessageSourceResolvable::getDefaultMessage)
					.distinct()
					.collect(Collectors.joining("; ")));
	}

	/** Readable local times for the page. */
	public record ReadableTimes(ZoneId zone) {

		public String of(StoredEvent event) {
			return Times.readable(event.time(), this.zone);
		}

	}

}
