package dev.registro.reporte.counting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.registro.contract.Registro;
import dev.registro.support.messaging.RecentIds;

import org.springframework.stereotype.Component;

/**
 * The counts: registrations per service id, the time of each service's latest
 * registration, and how many messages were rejected; and the ids of the messages handled
 * lately, so that a message the broker delivers again is not counted twice. Changes are
 * applied one at a time (from the listener, or from the changelog); reading the counts is
 * safe from any thread.
 * <p>
 * Most copies come back within the prefetch, which the latest {@link #REMEMBERED_IDS}
 * cover. One kind comes back later: when the node a consumer used is lost, RabbitMQ holds
 * the messages that consumer had for a while (the queue's
 * {@code x-consumer-disconnected-timeout}; 60 s by default on RabbitMQ 4.3) before it
 * hands them to the next consumer, by which time tens of thousands of others may have
 * been counted. Those messages were delivered to the previous consumer, so their ids are
 * among the latest when counting goes on through another consumer: at that moment the
 * remembered ids are pinned for {@link #PINNED_FOR}.
 */
@Component
public class Tally {

	/**
	 * Twice what the broker can have in flight to reporte (a prefetch of two batches of
	 * at most 1 000): a batch handed back is delivered again after at most the rest of
	 * the prefetch.
	 */
	static final int REMEMBERED_IDS = 4000;

	/**
	 * Far longer than RabbitMQ holds a lost node's consumer's messages, even at its
	 * default.
	 */
	static final Duration PINNED_FOR = Duration.ofMinutes(2);

	/**
	 * Pinned sets kept at most; a consumer that changes more often than this within
	 * {@link #PINNED_FOR} loses the oldest.
	 */
	static final int MAX_PINNED = 4;

	private final Clock clock;

	private final ConcurrentHashMap<String, ServiceTally> services = new ConcurrentHashMap<>();

	private final LongAdder rejected = new LongAdder();

	/** Guarded by this. */
	private final RecentIds recentIds = new RecentIds(REMEMBERED_IDS);

	/** Oldest first. Guarded by this. */
	private final Deque<Pinned> pinned = new ArrayDeque<>();

	/** Guarded by this. */
	private String source;

	private volatile boolean complete = true;

	public Tally(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Whether the message with this id was counted or rejected already; false for no id.
	 */
	synchronized boolean handled(String messageId) {
		if (messageId == null) {
			return false;
		}
		if (this.recentIds.contains(messageId)) {
			return true;
		}
		forgetExpired();
		return this.pinned.stream().anyMatch(pins -> pins.ids().contains(messageId));
	}

	/** Whether registrations of this service id were counted already. */
	boolean knows(String serviceId) {
		return this.services.containsKey(serviceId);
	}

	/** How many distinct service ids were counted. */
	int services() {
		return this.services.size();
	}

	/**
	 * Applies a change: counts each registration and rejection whose id was not handled
	 * yet (and each without an id). Returns how many it counted or rejected.
	 */
	synchronized int apply(Change change) {
		if (!Objects.equals(change.source(), this.source)) {
			if (this.source != null) {
				pin();
			}
			this.source = change.source();
		}
		int applied = 0;
		for (Change.Registration registration : change.counted()) {
			if (handled(registration.id())) {
				continue;
			}
			this.services.computeIfAbsent(registration.service(), id -> new ServiceTally()).add(registration.at());
			this.recentIds.add(registration.id());
			applied++;
		}
		for (String id : change.rejected()) {
			if (!handled(id)) {
				this.rejected.increment();
				this.recentIds.add(id);
				applied++;
			}
		}
		this.rejected.add(change.rejectedWithoutId());
		return applied + change.rejectedWithoutId();
	}

	/**
	 * Whether the counts are all there: false while an instance that shares them through
	 * the changelog has not caught up with it.
	 */
	public boolean complete() {
		return this.complete;
	}

	void complete(boolean complete) {
		this.complete = complete;
	}

	/** Count per service id, sorted by service id. */
	public SortedMap<String, Long> counts() {
		SortedMap<String, Long> counts = new TreeMap<>();
		this.services.forEach((id, tally) -> counts.put(id, tally.count.sum()));
		return counts;
	}

	/**
	 * Counts with the latest registration of each service, the total and the rejected.
	 */
	public Summary summary() {
		SortedMap<String, ServiceSummary> byId = new TreeMap<>();
		this.services.forEach((id, tally) -> byId.put(id, new ServiceSummary(id, tally.count.sum(), tally.last.get())));
		List<ServiceSummary> list = List.copyOf(byId.values());
		long total = list.stream().mapToLong(ServiceSummary::count).sum();
		return new Summary(list, total, this.rejected.sum());
	}

	/** Everything needed to carry on from here. */
	synchronized Snapshot snapshot() {
		Map<String, Snapshot.ServiceState> states = new LinkedHashMap<>();
		summary().services()
			.forEach(service -> states.put(service.serviceId(),
					new Snapshot.ServiceState(service.count(), (service.lastRegistration() != null)
							? Registro.TIMESTAMP_FORMAT.format(service.lastRegistration()) : null)));
		forgetExpired();
		List<Snapshot.PinnedIds> pins = this.pinned.stream()
			.map(set -> new Snapshot.PinnedIds(set.until().toString(), List.copyOf(set.ids())))
			.toList();
		return new Snapshot(states, this.rejected.sum(), this.recentIds.oldestFirst(), this.source, pins);
	}

	/** Starts from what a snapshot says, before anything is counted. */
	synchronized void restore(Snapshot snapshot) {
		snapshot.services().forEach((id, state) -> {
			LocalDateTime last = (state.last() != null) ? LocalDateTime.parse(state.last(), Registro.TIMESTAMP_FORMAT)
					: null;
			this.services.computeIfAbsent(id, key -> new ServiceTally()).restore(state.count(), last);
		});
		this.rejected.add(snapshot.rejected());
		snapshot.recent().forEach(this.recentIds::add);
		this.source = snapshot.source();
		snapshot.pinned()
			.forEach(pins -> this.pinned.add(new Pinned(Instant.parse(pins.until()), new HashSet<>(pins.ids()))));
		forgetExpired();
	}

	private void pin() {
		this.pinned.add(new Pinned(this.clock.instant().plus(PINNED_FOR), new HashSet<>(this.recentIds.oldestFirst())));
		while (this.pinned.size() > MAX_PINNED) {
			this.pinned.removeFirst();
		}
	}

	private void forgetExpired() {
		if (this.pinned.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		while (!this.pinned.isEmpty() && this.pinned.peekFirst().until().isBefore(now)) {
			this.pinned.removeFirst();
		}
	}

	/** Everything known about the registrations, at one moment. */
	public record Summary(List<ServiceSummary> services, long total, long rejected) {
	}

	/** One service's registrations. */
	public record ServiceSummary(String serviceId, long count, LocalDateTime lastRegistration) {
	}

	private record Pinned(Instant until, Set<String> ids) {
	}

	static final class ServiceTally {

		private final LongAdder count = new LongAdder();

		private final AtomicReference<LocalDateTime> last = new AtomicReference<>();

		void add(LocalDateTime timestamp) {
			this.count.increment();
			if (timestamp != null) {
				keepLatest(timestamp);
			}
		}

		void restore(long count, LocalDateTime latest) {
			this.count.add(count);
			if (latest != null) {
				keepLatest(latest);
			}
		}

		private void keepLatest(LocalDateTime timestamp) {
			this.last.accumulateAndGet(timestamp,
					(current, given) -> (current == null || given.isAfter(current)) ? given : current);
		}

	}

}
