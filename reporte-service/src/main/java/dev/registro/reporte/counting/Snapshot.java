package dev.registro.reporte.counting;

import java.util.List;
import java.util.Map;

/**
 * Everything reporte needs to count on: the counts, the rejected, and the ids it must
 * recognise when they come again.
 *
 * @param services count and latest registration ({@code yyyy-MM-dd HH:mm:ss}) per service
 * id
 * @param rejected how many messages went to the dead-letter queue
 * @param recent the ids of the latest messages counted or rejected, oldest first
 * @param source who counted the latest change (see {@link Change#source()})
 * @param pinned ids kept beyond {@code recent} for a while after the source changed
 */
record Snapshot(Map<String, ServiceState> services, long rejected, List<String> recent, String source,
		List<PinnedIds> pinned) {

	static final Snapshot EMPTY = new Snapshot(Map.of(), 0, List.of(), null, List.of());

	/** A snapshot written before ids were pinned has neither field. */
	Snapshot {
		pinned = (pinned != null) ? pinned : List.of();
	}

	record ServiceState(long count, String last) {
	}

	/**
	 * @param until when these ids may be forgotten (ISO-8601 instant)
	 * @param ids the ids
	 */
	record PinnedIds(String until, List<String> ids) {
	}

}
