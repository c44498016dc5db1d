package dev.registro.contract;

import java.util.Locale;

/**
 * A message body that is not what the contract says. The {@link Kind} is a small fixed
 * set (fit for a metric tag or a header); the message says what exactly is wrong, without
 * echoing the body.
 */
public class InvalidMessageException extends Exception {

	/** Why a body was refused. */
	public enum Kind {

		TOO_LARGE, NOT_UTF8, MALFORMED, MISSING_FIELD, UNKNOWN_FIELD, DUPLICATE_FIELD, WRONG_TYPE, INVALID_SERVICE_ID,
		INVALID_TIMESTAMP, INVALID_ACTION, INVALID_LEVEL,
		/**
		 * Valid, but from one service id more than a consumer keeps (a flood of invented
		 * ids).
		 */
		TOO_MANY_SERVICES,
		/**
		 * The consumer failed on it in a way it does not expect (a bug): set aside with
		 * the error, to be looked at and published again once fixed, so that the rest
		 * goes on.
		 */
		HANDLING_FAILED;

		/**
		 * Lower-case form used in headers and meter tags, e.g.
		 * {@code invalid_service_id}.
		 */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Kind kind;

	public InvalidMessageException(Kind kind, String message) {
		super(message, null, false, false);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

}
