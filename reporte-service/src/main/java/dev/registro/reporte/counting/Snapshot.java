package dev.registro.reporte.counting;

import java.util.List;
import java.util.Map;

/**
 * What reporte keeps on disk: the counts, the rejected, and the ids of the latest
 * messages it handled.
 *
 * @param services count and latest registration ({@code yyyy-MM-dd HH:mm:ss}) per service
 * id
 * @param rejected how many messages went to the dead-letter queue
 * @param recent the ids of the latest messages counted or rejected, oldest first
 */
record Snapshot(Map<String, ServiceState> services, long rejected, List<String> recent) {

	static final Snapshot EMPTY = new Snapshot(Map.of(), 0, List.of());

	record ServiceState(long count, String last) {
	}

}
