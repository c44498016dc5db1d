package dev.registro.reporte.counting;

/**
 * Where reporte keeps what it counted, so that a batch is acknowledged only once its
 * change is safe: the state file (one instance) or the changelog stream (instances that
 * share their counts).
 */
interface CountKeeper {

	/** The source of a change counted from messages delivered to this consumer. */
	String source(String consumerTag);

	/**
	 * Makes the change safe and applies it to the counts; returns once the batch may be
	 * acknowledged, retrying with the intake paused until it can.
	 */
	void keep(Change change) throws InterruptedException;

}
