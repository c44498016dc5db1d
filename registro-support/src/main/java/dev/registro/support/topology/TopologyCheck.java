package dev.registro.support.topology;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.DeclarationExceptionEvent;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;

/**
 * Refuses to start a service next to a queue it cannot use. Every service declares the
 * topology whenever it connects (Spring's {@code RabbitAdmin}); where the broker already
 * has a queue of that name with other arguments, RabbitMQ refuses, and the service would
 * run without counting or logging. So, before any listener starts, this connects once: a
 * refused declaration stops the start with one line that names the queue, what differs
 * and the way out. A broker that is not there yet is no reason not to start; a refusal
 * met later is logged the same way, and the connection fails, so the service says it is
 * not ready.
 */
public class TopologyCheck implements SmartInitializingSingleton, ApplicationListener<DeclarationExceptionEvent> {

	private static final Logger log = LoggerFactory.getLogger(TopologyCheck.class);

	private final ConnectionFactory connectionFactory;

	private final Map<String, IncompatibleQueue> found = new ConcurrentHashMap<>();

	public TopologyCheck(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void onApplicationEvent(DeclarationExceptionEvent event) {
		IncompatibleQueue.causing(event.getThrowable()).ifPresent(queue -> {
			if (this.found.put(queue.queue(), queue) == null) {
				log.error("{}; {}", queue.describe(), IncompatibleQueue.WAY_OUT);
			}
		});
	}

	@Override
	public void afterSingletonsInstantiated() {
		try {
			this.connectionFactory.createConnection().close();
		}
		catch (AmqpException ex) {
			if (this.found.isEmpty()) {
				log.info("Broker not reachable at start ({}); the topology is declared once it is", ex.getMessage());
			}
		}
		if (!this.found.isEmpty()) {
			throw new IncompatibleTopologyException(List.copyOf(this.found.values()));
		}
	}

}
