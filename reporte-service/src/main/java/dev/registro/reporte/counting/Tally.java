package dev.registro.reporte.counting;

import java.time.LocalDateTime;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.registro.contract.Registro;

import org.springframework.stereotype.Component;

/**
 * The counts: registrations per service id, the time of each service's latest registration,
 * and how many messages were rejected. Safe for concurrent counting and reading.
 */
@Component
public class Tally {

	private final ConcurrentHashMap<String, ServiceTally> services = new ConcurrentHashMap<>();

	private final LongAdder rejected = new LongAdder();

	void count(Registro registro) {
		this.services.computeIfAbsent(registro.serviceId(), id -> new ServiceTally()).add(registro.timestamp());
	}

	void reject() {
		this.rejected.increment();
	}

	/** Count per service id, sorted by service id. */
	public SortedMap<String, Long> counts() {
		SortedMap<String, Long> counts = new TreeMap<>();
		this.services.forEach((id, tally) -> counts.put(id, tally.count.sum()));
		return counts;
	}

	/** Counts with the latest registration of each service, the total and the rejected. */
	public Summary summary() {
		SortedMap<String, ServiceSummary> byId = new TreeMap<>();
		this.services.forEach((id, tally) -> byId.put(id, new ServiceSummary(id, tally.count.sum(), tally.last.get())));
		List<ServiceSummary> list = List.copyOf(byId.values());
		long total = list.stream().mapToLong(ServiceSummary::count).sum();
		return new Summary(list, total, this.rejected.sum());
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
			this.last.accumulateAndGet(timestamp, (current, given) -> (current == null || given.isAfter(current)) ? given : current);
		}

	}

}
