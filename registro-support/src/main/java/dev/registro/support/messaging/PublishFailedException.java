package dev.registro.support.messaging;

import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * A message that is not known to be safely in the broker. The message says why, for the
 * caller; the {@link Reason} is a fixed set, fit for a meter tag.
 */
public class PublishFailedException extends RuntimeException {

	/** Why a publish did not succeed. */
	public enum Reason {

		/** No connection could be opened, or it broke while sending. */
		UNREACHABLE,
		/** The broker is blocking publishers (a memory or disk alarm). */
		BLOCKED,
		/**
		 * The broker answered with a negative confirm, or the channel closed before it
		 * confirmed.
		 */
		NACKED,
		/** The broker confirmed it but could route it to no queue. */
		RETURNED,
		/** No confirm came within the configured time. */
		TIMEOUT;

		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Reason reason;

	public PublishFailedException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	/** The failure a publish future completed with, as this type. */
	public static PublishFailedException from(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof PublishFailedException publishFailed) {
			return publishFailed;
		}
		return new PublishFailedException(Reason.UNREACHABLE, "publish failed: " + cause.getMessage(), cause);
	}

}
