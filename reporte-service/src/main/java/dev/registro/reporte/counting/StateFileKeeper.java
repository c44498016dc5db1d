package dev.registro.reporte.counting;

import dev.registro.support.messaging.PausingRetry;

/**
 * Keeps the counts in one file, written whole after every batch (or, for measuring only,
 * nowhere).
 */
class StateFileKeeper implements CountKeeper {

	private final Tally tally;

	private final CountStore store;

	private final PausingRetry writes;

	private final boolean durable;

	StateFileKeeper(Tally tally, CountStore store, PausingRetry writes, boolean durable) {
		this.tally = tally;
		this.store = store;
		this.writes = writes;
		this.durable = durable;
	}

	@Override
	public String source(String consumerTag) {
		return consumerTag;
	}

	@Override
	public void keep(Change change) throws InterruptedException {
		this.tally.apply(change);
		if (this.durable) {
			this.writes.untilDone("saving the counts to " + this.store.file(),
					() -> this.store.save(this.tally.snapshot()));
		}
	}

}
