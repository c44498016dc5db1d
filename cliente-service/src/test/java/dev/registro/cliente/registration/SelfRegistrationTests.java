package dev.registro.cliente.registration;

import java.time.Duration;

import dev.registro.testsupport.RabbitTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = { "registro.service-id=it-self", "registro.cliente.self-register.enabled=true",
		"registro.cliente.self-register.interval=200ms" })
@Import(RabbitTestSupport.class)
class SelfRegistrationTests {

	@Autowired
	private MeterRegistry meters;

	@Test
	void registersByItselfAtTheConfiguredInterval() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.meters.counter("registro.confirmed").count() >= 3);
	}

}
