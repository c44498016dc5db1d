package dev.registro.support.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.registro.support.messaging.PublishFailedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;

/**
 * Publishes a message and tells, through the returned future, whether it is safely in the
 * broker: confirmed, and routed to a queue. Never blocks waiting for the confirm, and never
 * waits longer than the configured time for it.
 */
public class ConfirmingPublisher {

	private static final Logger log = LoggerFactory.getLogger(ConfirmingPublisher.class);

	private final RabbitTemplate rabbit;

	private final Duration confirmTimeout;

	private volatile String blockedReason;

	public ConfirmingPublisher(RabbitTemplate rabbit, Duration confirmTimeout) {
		this.rabbit = rabbit;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Sends the message; the future completes normally once the broker has confirmed and
	 * routed it, and with a {@link PublishFailedException} otherwise. The message must carry
	 * a unique message id: it correlates the confirm and any return.
	 */
	public CompletableFuture<Void> publish(String exchange, String routingKey, Message message) {
		String messageId = message.getMessageProperties().getMessageId();
		String blocked = this.blockedReason;
		if (blocked != null) {
			// A publish on a blocked connection would hang the calling thread until the alarm clears.
			return CompletableFuture.failedFuture(
					new PublishFailedException(Reason.BLOCKED, "broker is refusing publishers: " + blocked, null));
		}
		CorrelationData correlation = new CorrelationData(messageId);
		try {
			this.rabbit.send(exchange, routingKey, message, correlation);
		}
		catch (AmqpException ex) {
			return CompletableFuture.failedFuture(new PublishFailedException(Reason.UNREACHABLE,
					"broker unreachable: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), ex));
		}
		return correlation.getFuture()
			.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.handle((confirm, failure) -> {
				if (failure instanceof TimeoutException) {
					throw new PublishFailedException(Reason.TIMEOUT,
							"broker did not confirm within " + this.confirmTimeout.toMillis() + " ms", failure);
				}
				if (failure != null) {
					throw PublishFailedException.from(failure);
				}
				ReturnedMessage returned = correlation.getReturned();
				if (returned != null) {
					throw new PublishFailedException(Reason.RETURNED, "broker could not route it to '"
							+ routingKey + "' (" + returned.getReplyCode() + " " + returned.getReplyText() + ")", null);
				}
				if (!confirm.ack()) {
					throw new PublishFailedException(Reason.NACKED, "broker refused it: " + confirm.reason(), null);
				}
				return null;
			});
	}

	@EventListener
	void onBlocked(ConnectionBlockedEvent event) {
		this.blockedReason = event.getReason();
		log.warn("Broker blocks publishers ({}); registrations answer 503 until it unblocks", event.getReason());
	}

	@EventListener
	void onUnblocked(ConnectionUnblockedEvent event) {
		this.blockedReason = null;
		log.info("Broker accepts publishers again");
	}

}
