package dev.registro.support.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.registro.support.messaging.PublishFailedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.Assert;

/**
 * Publishes a message and tells, through the returned future, whether it is safely in the
 * broker: confirmed, and routed to a queue. Never blocks waiting for the confirm, and
 * never waits longer than the configured time for it.
 * <p>
 * Every publish goes out on one channel of its own, in confirm mode, that stays open for
 * as long as the connection does; the broker's confirms and returns come back on the
 * connection's thread and complete the futures there. A channel taken from Spring's cache
 * for each publish would cost a channel per publish in flight and a thread to wait for
 * its confirm before the channel could go back to the cache: measured, that doubled the
 * CPU of a registration. One channel also keeps what a service publishes in the order it
 * was published.
 */
public class ConfirmingPublisher {

	private static final Logger log = LoggerFactory.getLogger(ConfirmingPublisher.class);

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	private final Lock lock = new ReentrantLock();

	/**
	 * The channel publishes go out on; replaced when it closes. Guarded by {@link #lock}.
	 */
	private ConfirmChannel current;

	private volatile String blockedReason;

	public ConfirmingPublisher(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Sends the message; the future completes normally once the broker has confirmed and
	 * routed it, and with a {@link PublishFailedException} otherwise. The message must
	 * carry a unique message id: it tells a returned message from the others.
	 */
	public CompletableFuture<Void> publish(String exchange, String routingKey, Message message) {
		String messageId = message.getMessageProperties().getMessageId();
		Assert.hasText(messageId, "a message published with a confirm needs a message id");
		String blocked = this.blockedReason;
		if (blocked != null) {
			// A publish on a blocked connection would hang the calling thread until the
			// alarm clears.
			return CompletableFuture.failedFuture(
					new PublishFailedException(Reason.BLOCKED, "broker is refusing publishers: " + blocked, null));
		}
		AMQP.BasicProperties properties = this.converter.fromMessageProperties(message.getMessageProperties(), "UTF-8");
		Pending pending;
		this.lock.lock();
		try {
			pending = channel().publish(exchange, routingKey, properties, message.getBody());
		}
		catch (AmqpException | IOException | ShutdownSignalException ex) {
			return CompletableFuture.failedFuture(new PublishFailedException(Reason.UNREACHABLE,
					"broker unreachable: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), ex));
		}
		finally {
			this.lock.unlock();
		}
		return pending.outcome.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionally(failure -> {
				if (failure instanceof TimeoutException) {
					pending.forget();
					throw new PublishFailedException(Reason.TIMEOUT,
							"broker did not confirm within " + this.confirmTimeout.toMillis() + " ms", failure);
				}
				throw PublishFailedException.from(failure);
			});
	}

	/**
	 * The open channel, opening one (and the connection, if need be) when there is none.
	 */
	private ConfirmChannel channel() throws IOException {
		if (this.current == null || !this.current.channel.isOpen()) {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			if (channel == null) {
				throw new IOException("the connection has no channel left");
			}
			this.current = new ConfirmChannel(channel);
		}
		return this.current;
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

	/**
	 * A publish waiting for its confirm, and for a return that comes before it if it was
	 * not routed.
	 */
	private static final class Pending {

		private final CompletableFuture<Void> outcome = new CompletableFuture<>();

		private final ConfirmChannel channel;

		private final long sequence;

		private final String messageId;

		private final String routingKey;

		private volatile String returned;

		Pending(ConfirmChannel channel, long sequence, String messageId, String routingKey) {
			this.channel = channel;
			this.sequence = sequence;
			this.messageId = messageId;
			this.routingKey = routingKey;
		}

		void confirmed(boolean ack) {
			if (this.returned != null) {
				fail(new PublishFailedException(Reason.RETURNED,
						"broker could not route it to '" + this.routingKey + "' (" + this.returned + ")", null));
			}
			else if (!ack) {
				fail(new PublishFailedException(Reason.NACKED, "broker refused it (negative confirm)", null));
			}
			else {
				forget();
				this.outcome.complete(null);
			}
		}

		void fail(PublishFailedException failure) {
			forget();
			this.outcome.completeExceptionally(failure);
		}

		/** No confirm or return is awaited for it any more. */
		void forget() {
			this.channel.unconfirmed.remove(this.sequence);
			this.channel.byMessageId.remove(this.messageId, this);
		}

	}

	/** One channel in confirm mode and what was published on it and not yet confirmed. */
	private static final class ConfirmChannel implements ConfirmListener {

		private final Channel channel;

		private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();

		private final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();

		ConfirmChannel(Channel channel) throws IOException {
			this.channel = channel;
			channel.confirmSelect();
			channel.addConfirmListener(this);
			channel.addReturnListener(returned -> {
				Pending pending = this.byMessageId.get(String.valueOf(returned.getProperties().getMessageId()));
				if (pending != null) {
					pending.returned = returned.getReplyCode() + " " + returned.getReplyText();
				}
				log.warn("Returned by the broker: message_id={} {} {} (exchange '{}', routing key '{}')",
						returned.getProperties().getMessageId(), returned.getReplyCode(), returned.getReplyText(),
						returned.getExchange(), returned.getRoutingKey());
			});
			channel.addShutdownListener(cause -> {
				// Whatever was not confirmed yet is not known to be in the broker.
				for (Pending pending : this.unconfirmed.values()) {
					pending.fail(new PublishFailedException(Reason.NACKED,
							"channel closed before the broker confirmed: " + cause.getMessage(), cause));
				}
			});
		}

		/**
		 * Called under the publisher's lock, so that sequence numbers follow publish
		 * order.
		 */
		Pending publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
				throws IOException {
			Pending pending = new Pending(this, this.channel.getNextPublishSeqNo(), properties.getMessageId(),
					routingKey);
			this.unconfirmed.put(pending.sequence, pending);
			this.byMessageId.put(pending.messageId, pending);
			try {
				this.channel.basicPublish(exchange, routingKey, true, properties, body);
			}
			catch (IOException | RuntimeException ex) {
				pending.forget();
				throw ex;
			}
			return pending;
		}

		@Override
		public void handleAck(long sequence, boolean multiple) {
			confirm(sequence, multiple, true);
		}

		@Override
		public void handleNack(long sequence, boolean multiple) {
			confirm(sequence, multiple, false);
		}

		private void confirm(long sequence, boolean multiple, boolean ack) {
			if (multiple) {
				for (Pending pending : this.unconfirmed.headMap(sequence, true).values()) {
					pending.confirmed(ack);
				}
			}
			else {
				Pending pending = this.unconfirmed.remove(sequence);
				if (pending != null) {
					pending.confirmed(ack);
				}
			}
		}

	}

}
