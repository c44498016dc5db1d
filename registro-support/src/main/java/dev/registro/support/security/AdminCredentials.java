package dev.registro.support.security;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin login, from {@code ADMIN_USERNAME} and {@code ADMIN_PASSWORD}. The password
 * may be given in plain text or as a bcrypt hash ({@code {bcrypt}$2a$…} or
 * {@code $2a$…}). It is bound once at start-up and only its hash is kept, so it is
 * deliberately not a {@code @ConfigurationProperties} bean.
 *
 * @param username the admin's user name
 * @param password the admin's password, plain or bcrypt
 */
record AdminCredentials(@DefaultValue(AdminCredentials.DEFAULT_USERNAME) String username,
		@DefaultValue(AdminCredentials.DEFAULT_PASSWORD) String password) {

	/** The original system's login, kept so the demo works out of the box. */
	static final String DEFAULT_USERNAME = "admin";

	static final String DEFAULT_PASSWORD = "123";

	private static final String BCRYPT_PREFIX = "{bcrypt}";

	AdminCredentials {
		if (username == null || username.isBlank()) {
			throw new IllegalArgumentException("ADMIN_USERNAME must not be blank");
		}
		if (password == null || password.isEmpty()) {
			throw new IllegalArgumentException("ADMIN_PASSWORD must not be empty");
		}
	}

	boolean isDefault() {
		return DEFAULT_USERNAME.equals(this.username) && DEFAULT_PASSWORD.equals(this.password);
	}

	/**
	 * The bcrypt hash the password was given as, or null when it was given in plain text.
	 */
	String givenHash() {
		String candidate = this.password.startsWith(BCRYPT_PREFIX) ? this.password.substring(BCRYPT_PREFIX.length())
				: this.password;
		return candidate.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}") ? candidate : null;
	}

	@Override
	public String toString() {
		return "AdminCredentials[username=" + this.username + ", password=******]";
	}

}
