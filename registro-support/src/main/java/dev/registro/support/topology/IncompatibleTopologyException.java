package dev.registro.support.topology;

import java.util.List;
import java.util.stream.Collectors;

/** The broker has queues under registro's names that registro cannot use. */
public class IncompatibleTopologyException extends IllegalStateException {

	private final List<IncompatibleQueue> queues;

	public IncompatibleTopologyException(List<IncompatibleQueue> queues) {
		super(queues.stream().map(IncompatibleQueue::describe).collect(Collectors.joining("; ")) + "; "
				+ IncompatibleQueue.WAY_OUT);
		this.queues = List.copyOf(queues);
	}

	public List<IncompatibleQueue> queues() {
		return this.queues;
	}

}
