package dev.registro.support.topology;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * A queue the broker already has under one of registro's names, with other arguments than
 * registro declares: the original system's classic {@code registro}, or a queue of an
 * earlier registro. RabbitMQ refuses the declaration
 * ({@code 406 PRECONDITION_FAILED - inequivalent
 * arg ...}), and no service can use the queue until its messages are moved into one
 * declared as registro declares it.
 *
 * @param queue the queue's name
 * @param virtualHost the virtual host it is in
 * @param difference the argument that differs, in the broker's words: registro's value is
 * what the broker "received", the queue's what is "current"
 */
public record IncompatibleQueue(String queue, String virtualHost, String difference) {

	/** How to move the messages over; the README's "Upgrading" says more. */
	public static final String WAY_OUT = "move its messages into the queue registro declares with "
			+ "scripts/migrate-registro.sh (nothing is lost), then start again";

	private static final Pattern INEQUIVALENT = Pattern
		.compile("PRECONDITION_FAILED - inequivalent arg '([^']*)' for queue '([^']*)' in vhost '([^']*)': (.*)");

	/** The incompatible queue a declaration failed on, if that is why it failed. */
	static Optional<IncompatibleQueue> causing(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close
					&& close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
				Matcher matcher = INEQUIVALENT.matcher(close.getReplyText());
				if (matcher.matches()) {
					return Optional.of(new IncompatibleQueue(matcher.group(2), matcher.group(3),
							matcher.group(1) + ": " + matcher.group(4)));
				}
			}
		}
		return Optional.empty();
	}

	/** One line that names the queue, what differs, and the way out. */
	public String describe() {
		return "queue '" + this.queue + "' in vhost '" + this.virtualHost + "' exists with other arguments than "
				+ "registro declares, left by the original system or an earlier registro (" + this.difference + ")";
	}

}
