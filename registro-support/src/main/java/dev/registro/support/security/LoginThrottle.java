package dev.registro.support.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed logins, per client address and per username, over a sliding window, and
 * says when a login must wait: an address with {@code perAddress} failures in the window
 * waits until the oldest of them leaves it, without its password being checked at all. A
 * username that failed {@code perUsername} times in the window, from whatever addresses,
 * makes every address that failed already wait as well, so that a guesser spread over
 * many addresses gets one try from each; an address without failures is never made to
 * wait, so the real admin cannot be locked out by someone else's guessing.
 */
final class LoginThrottle {

	/**
	 * Addresses and usernames remembered at most; the longest quiet are forgotten first.
	 */
	static final int MAX_KEYS = 10_000;

	private final int perAddress;

	private final int perUsername;

	private final Duration window;

	private final Clock clock;

	private final Map<String, Deque<Long>> byAddress = lru();

	private final Map<String, Deque<Long>> byUsername = lru();

	LoginThrottle(int perAddress, int perUsername, Duration window, Clock clock) {
		this.perAddress = perAddress;
		this.perUsername = perUsername;
		this.window = window;
		this.clock = clock;
	}

	/**
	 * How long a login from this address for this username must wait; empty when it may
	 * go on.
	 */
	synchronized Optional<Duration> waitFor(String address, String username) {
		long now = this.clock.millis();
		Deque<Long> fromAddress = recent(this.byAddress, address, now);
		if (fromAddress.isEmpty()) {
			return Optional.empty();
		}
		if (fromAddress.size() >= this.perAddress) {
			return Optional.of(until(fromAddress.peekFirst(), now));
		}
		Deque<Long> forUsername = recent(this.byUsername, username, now);
		if (forUsername.size() >= this.perUsername) {
			return Optional.of(until(forUsername.peekFirst(), now));
		}
		return Optional.empty();
	}

	synchronized void failed(String address, String username) {
		long now = this.clock.millis();
		recent(this.byAddress, address, now).addLast(now);
		recent(this.byUsername, username, now).addLast(now);
	}

	/** The right password from this address: its earlier failures are forgiven. */
	synchronized void succeeded(String address) {
		this.byAddress.remove(address);
	}

	/** The failures of a key still within the window, the older ones dropped. */
	private Deque<Long> recent(Map<String, Deque<Long>> failures, String key, long now) {
		Deque<Long> times = failures.computeIfAbsent(key, ignored -> new ArrayDeque<>());
		while (!times.isEmpty() && times.peekFirst() <= now - this.window.toMillis()) {
			times.removeFirst();
		}
		// At most as many as ever make a difference.
		while (times.size() > Math.max(this.perAddress, this.perUsername)) {
			times.removeFirst();
		}
		return times;
	}

	private Duration until(long oldest, long now) {
		return Duration.ofMillis(Math.max(1000, oldest + this.window.toMillis() - now));
	}

	private static Map<String, Deque<Long>> lru() {
		return new LinkedHashMap<>(256, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
				return size() > MAX_KEYS;
			}
		};
	}

}
