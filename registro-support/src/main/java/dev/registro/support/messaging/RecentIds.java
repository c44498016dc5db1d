package dev.registro.support.messaging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The ids of the latest messages a consumer handled, at most {@code capacity}, the oldest
 * forgotten first: how a consumer that acks after its work recognises a message the
 * broker delivers again after a crash. Not thread-safe: one consumer thread uses it.
 */
public final class RecentIds {

	private final int capacity;

	private final LinkedHashSet<String> ids = new LinkedHashSet<>();

	public RecentIds(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1");
		}
		this.capacity = capacity;
	}

	/** Whether this id was remembered; false for no id. */
	public boolean contains(String id) {
		return id != null && this.ids.contains(id);
	}

	/**
	 * Remembers an id (a null id is not remembered), forgetting the oldest beyond
	 * capacity.
	 */
	public void add(String id) {
		if (id == null) {
			return;
		}
		this.ids.add(id);
		if (this.ids.size() > this.capacity) {
			Iterator<String> oldest = this.ids.iterator();
			oldest.next();
			oldest.remove();
		}
	}

	/** The remembered ids, oldest first. */
	public List<String> oldestFirst() {
		return new ArrayList<>(this.ids);
	}

}
