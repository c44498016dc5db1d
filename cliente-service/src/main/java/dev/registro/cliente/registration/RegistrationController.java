package dev.registro.cliente.registration;

import java.util.concurrent.CompletableFuture;

import dev.registro.cliente.registration.Registrations.Receipt;
import dev.registro.support.messaging.PublishFailedException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /} and {@code POST /} register once, as the original's clients did. The
 * answer waits for the broker without holding a request thread: 200 only once the
 * registration is safely in RabbitMQ, 503 otherwise.
 */
@RestController
class RegistrationController {

	private final Registrations registrations;

	RegistrationController(Registrations registrations) {
		this.registrations = registrations;
	}

	@RequestMapping(path = "/", method = { RequestMethod.GET, RequestMethod.POST })
	CompletableFuture<ResponseEntity<Object>> register() {
		String service = this.registrations.serviceId();
		return this.registrations.register().handle((receipt, failure) -> {
			if (failure != null) {
				return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
					.header(HttpHeaders.RETRY_AFTER, "1")
					.body(new Failed(service, PublishFailedException.from(failure).getMessage()));
			}
			return ResponseEntity.ok(new Registered(service, receipt));
		});
	}

	record Registered(String service, Receipt registered) {
	}

	record Failed(String service, String error) {
	}

}
