package dev.registro.support.topology;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start refused for an incompatible queue into Spring Boot's short report (what
 * is wrong, what to do) instead of a stack trace.
 */
class IncompatibleTopologyFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleTopologyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleTopologyException cause) {
		String description = cause.queues()
			.stream()
			.map(IncompatibleQueue::describe)
			.collect(Collectors.joining("; ", "", "."));
		String action = "Stop what uses the queue, " + IncompatibleQueue.WAY_OUT + ".";
		return new FailureAnalysis(Character.toUpperCase(description.charAt(0)) + description.substring(1), action,
				cause);
	}

}
