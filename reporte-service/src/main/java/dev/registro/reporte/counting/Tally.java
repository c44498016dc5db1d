package dev.registro.reporte.counting;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * registration, and how many messages were rejected; and the ids of the latest messages
 * handled, so that a message the broker delivers again after a crash is not counted
 * twice. Counting happens on the one listener thread; reading is safe from any thread.
 */
@Component
public class Tally {

	/**
	 * Twice what the broker can have in flight to reporte (a prefetch of two batches of
	 * at most 1 000): a batch handed back is delivered again after at most the rest of
	 * the prefetch.
	 */
	static final int REMEMBERED_IDS = 4000;

	private final ConcurrentHashMap<String, ServiceTally> services = new ConcurrentHashMap<>();

	private final LongAdder rejected = new LongAdder();

	private final RecentIds recentIds = new RecentIds(REMEMBERED_IDS);

	/**
	 * Whether the message with this id was counted or rejected already; false for no id.
	 */
	boolean handled(String messageId) {
		return this.recentIds.contains(messageId);
	}

	/** Whether registrations of this service id were counted already. */
	boolean knows(String serviceId) {
		return this.services.containsKey(serviceId);
	}

	/** How many distinct service ids were counted. */
	int services() {
		return this.services.size();
	}

	void count(Registro registro, String messageId) {
		this.services.computeIfAbsent(registro.serviceId(), id -> new ServiceTally()).add(registro.timestamp());
		this.recentIds.add(messageId);
	}

	void reject(String messageId) {
		this.rejected.increment();
		this.recentIds.add(messageId);
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

	/**
	 * Everything needed to carry on after a restart. Call it from the counting thread.
	 */
	Snapshot snapshot() {
		Map<String, Snapshot.ServiceState> states = new LinkedHashMap<>();
		summary().services()
			.forEach(service -> states.put(service.serviceId(),
					new Snapshot.ServiceState(service.count(), (service.lastRegistration() != null)
							? Registro.TIMESTAMP_FORMAT.format(service.lastRegistration()) : null)));
		return new Snapshot(states, this.rejected.sum(), this.recentIds.oldestFirst());
	}

	/** Starts from what a snapshot says, before anything is counted. */
	void restore(Snapshot snapshot) {
		snapshot.services().forEach((id, state) -> {
			LocalDateTime last = (state.last() != null) ? LocalDateTime.parse(state.last(), Registro.TIMESTAMP_FORMAT)
					: null;
			this.services.computeIfAbsent(id, key -> new ServiceTally()).restore(state.count(), last);
		});
		this.rejected.add(snapshot.rejected());
		snapshot.recent().forEach(this.recentIds::add);
	}

	/** Everything known about the registrations, at one moment. */
	public record Summary(List<ServiceSummary> services, long total, long rejected) {
	}

	/** One service's registrations. */
	public record ServiceSummary(String serviceId, long count, LocalDateTime lastRegistration) {
	}

	static final class ServiceTally {

		private final LongAdder count = new LongAdder();

		private final AtomicReference<LocalDateTime> last = new AtomicReference<>();

		void add(LocalDateTime timestamp) {
			this.count.increment();
			keepLatest(timestamp);
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
