package dev.registro.logger.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The ids of the events written to the history, remembered by the events' own time for as
 * long as a copy of them can still arrive, so that an event delivered again is written
 * once.
 *
 * <p>
 * A service publishes an event again, with the same id, only within
 * {@link dev.registro.contract.LogEvent#REDELIVERY_HORIZON} of the event's time, and the
 * queue hands events over in the order they reached it. So once an event has arrived
 * whose time is more than the horizon (and some clock skew) past an earlier event's,
 * every copy of the earlier one has arrived too, and its id can be forgotten: the window
 * is measured by what arrived, not by the clock, and so it holds however long the logger
 * was stopped or paused.
 *
 * <p>
 * An id is kept as a 64-bit hash (the 128 bits of a UUID folded, any other id hashed), in
 * arrays rather than objects: about 32 bytes an id, some 12 MB for ten minutes of 600
 * events a second. Two ids of one window that hash alike (odds of about one in ten
 * million per million ids) would make the second look like a copy of the first. Not
 * thread-safe: the history's one writer uses it.
 */
final class EventIds {

	private static final long EMPTY = 0;

	private final long window;

	/** The ids in the order they arrived, with their times (epoch millis): a ring. */
	private long[] ringIds = new long[1024];

	private long[] ringTimes = new long[1024];

	private int head;

	private int size;

	/**
	 * The same ids, for lookup: open addressing, 0 free (an id that hashes to 0 is taken
	 * as 1).
	 */
	private long[] table = new long[2048];

	private long newest = Long.MIN_VALUE;

	/**
	 * @param window how far behind the newest event's time an id is still remembered
	 */
	EventIds(Duration window) {
		this.window = window.toMillis();
	}

	boolean contains(String id) {
		return id != null && slot(hash(id)) >= 0;
	}

	int size() {
		return this.size;
	}

	/** Remembers an id, and forgets those that no copy can follow any more. */
	void add(String id, Instant time) {
		if (!put(id, time, false)) {
			return;
		}
		while (this.size > 0 && this.ringTimes[this.head] < this.newest - this.window) {
			remove(this.ringIds[this.head]);
			this.head = (this.head + 1) % this.ringIds.length;
			this.size--;
		}
	}

	/**
	 * Remembers an id that arrived before every id remembered so far, as when the history
	 * is read backwards: nothing is forgotten, and nothing but the ids is held on the
	 * way.
	 */
	void addEarlier(String id, Instant time) {
		put(id, time, true);
	}

	/**
	 * Puts a new id after the newest in the ring, or before the oldest.
	 * @return whether it was new
	 */
	private boolean put(String id, Instant time, boolean earlier) {
		if (id == null || contains(id)) {
			return false;
		}
		long hash = hash(id);
		long millis = time.toEpochMilli();
		if (this.size == this.ringIds.length) {
			grow();
		}
		int at;
		if (earlier) {
			this.head = (this.head - 1 + this.ringIds.length) % this.ringIds.length;
			at = this.head;
		}
		else {
			at = (this.head + this.size) % this.ringIds.length;
		}
		this.ringIds[at] = hash;
		this.ringTimes[at] = millis;
		this.size++;
		insert(hash);
		this.newest = Math.max(this.newest, millis);
		return true;
	}

	static long hash(String id) {
		long hash;
		try {
			UUID uuid = UUID.fromString(id);
			hash = uuid.getMostSignificantBits() ^ Long.rotateLeft(uuid.getLeastSignificantBits(), 17);
		}
		catch (IllegalArgumentException ex) {
			hash = 0xcbf29ce484222325L;
			for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
				hash = (hash ^ b) * 0x100000001b3L;
			}
		}
		// a final mix, so that close ids spread over the table
		hash = (hash ^ (hash >>> 33)) * 0xff51afd7ed558ccdL;
		hash = (hash ^ (hash >>> 33)) * 0xc4ceb9fe1a85ec53L;
		hash ^= hash >>> 33;
		return (hash == EMPTY) ? 1 : hash;
	}

	private int slot(long hash) {
		int mask = this.table.length - 1;
		for (int i = (int) hash & mask;; i = (i + 1) & mask) {
			if (this.table[i] == hash) {
				return i;
			}
			if (this.table[i] == EMPTY) {
				return -1;
			}
		}
	}

	private void insert(long hash) {
		if (2 * (this.size + 1) > this.table.length) {
			long[] old = this.table;
			this.table = new long[old.length * 2];
			for (long entry : old) {
				if (entry != EMPTY) {
					place(entry);
				}
			}
		}
		place(hash);
	}

	private void place(long hash) {
		int mask = this.table.length - 1;
		int i = (int) hash & mask;
		while (this.table[i] != EMPTY) {
			i = (i + 1) & mask;
		}
		this.table[i] = hash;
	}

	/** Removes with backward shifting, so that no lookup chain is broken. */
	private void remove(long hash) {
		int mask = this.table.length - 1;
		int gap = slot(hash);
		if (gap < 0) {
			return;
		}
		this.table[gap] = EMPTY;
		for (int i = (gap + 1) & mask; this.table[i] != EMPTY; i = (i + 1) & mask) {
			int home = (int) this.table[i] & mask;
			// move the entry back into the gap unless its home lies between the gap and
			// it
			boolean between = (gap <= i) ? (gap < home && home <= i) : (gap < home || home <= i);
			if (!between) {
				this.table[gap] = this.table[i];
				this.table[i] = EMPTY;
				gap = i;
			}
		}
	}

	private void grow() {
		long[] ids = new long[this.ringIds.length * 2];
		long[] times = new long[ids.length];
		for (int i = 0; i < this.size; i++) {
			ids[i] = this.ringIds[(this.head + i) % this.ringIds.length];
			times[i] = this.ringTimes[(this.head + i) % this.ringIds.length];
		}
		this.ringIds = ids;
		this.ringTimes = times;
		this.head = 0;
	}

}
