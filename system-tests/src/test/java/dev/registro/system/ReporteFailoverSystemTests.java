package dev.registro.system;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.registro.contract.Topology;
import dev.registro.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two reporte instances sharing their counts through the changelog stream (deleted
 * afterwards; on the machine's RabbitMQ 3.10 too): the one that counts is killed with
 * kill -9 under load; the warm standby takes over within seconds, answers
 * {@code /reportes} throughout, and ends with every registration answered 200 counted
 * exactly once; the killed one, started again while registrations go on, reads from a
 * snapshot and ends with the same counts.
 */
class ReporteFailoverSystemTests {

	private final String serviceId = "failover-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void theStandbyTakesOverFromAKilledCountingInstanceWithEveryCountIntactAndNoneTwice() throws Exception {
		TestBroker broker = TestBroker.get();
		Map<String, String> environment = new HashMap<>(broker.environment());
		environment.put("REGISTRO_REPORTE_STORE", "stream");
		environment.put("REGISTRO_REPORTE_SNAPSHOT_INTERVAL", "2s");
		try (ServiceProcess first = ServiceProcess.start("reporte-service", "reporte-failover-1", environment);
				ServiceProcess second = ServiceProcess.start("reporte-service", "reporte-failover-2", environment);
				ServiceProcess client = ServiceProcess.start("cliente-service", "cliente-failover",
						ServiceProcess.with(environment, "SERVICE_ID", this.serviceId))) {
			RegistrationLoad load = new RegistrationLoad(client.uri("/"), second.uri("/reportes"));
			load.start(4);
			Thread.sleep(3_000);
			ServiceProcess counting = Reportes.counting(first, second);
			assertThat(counting).as("the first instance started counts").isSameAs(first);
			long before = Reportes.counted(second, this.serviceId);
			first.kill();
			long killed = System.nanoTime();
			Thread.sleep(3_000);
			try (ServiceProcess restarted = first.restart()) {
				// Started again under load: it reads from the snapshots the standby now
				// writes.
				Thread.sleep(2_000);
				load.stop();

				assertThat(before).as("the standby's counts, warm before the failover").isPositive();
				assertThat(load.okAfter(killed)).as("registrations answered 200 after the kill").isPositive();
				assertThat(load.failed.get()).as("registrations not answered 200").isZero();
				assertThat(load.otherAnswers).isEmpty();
				assertThat(load.readFailures.get()).as("/reportes of the standby, answered other than 200").isZero();
				int ok = load.ok.size();
				await().atMost(Duration.ofSeconds(30)).until(() -> Reportes.counted(second, this.serviceId) >= ok);
				Thread.sleep(2_000);
				System.out.printf("reporte failover: ok=%d counted=%d (standby had %d before the kill)%n", ok,
						Reportes.counted(second, this.serviceId), before);
				assertThat(Reportes.counted(second, this.serviceId))
					.as("counted by the standby, with %d answered 200", ok)
					.isEqualTo(ok);
				assertThat(Reportes.counted(restarted, this.serviceId)).as("the killed instance, started again")
					.isEqualTo(ok);
				assertThat(restarted.output()).contains("Starting from a snapshot");
			}
		}
		finally {
			// Nothing of it is left for the next run to start from.
			try (Connection connection = broker.connectionFactory().newConnection();
					Channel channel = connection.createChannel()) {
				channel.queueDelete(Topology.REPORTE_CHANGELOG);
			}
		}
	}

}
