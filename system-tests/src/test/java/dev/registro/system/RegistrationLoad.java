package dev.registro.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;

/**
 * Senders registering back to back, each answer's message id kept with its time, and a
 * reader of {@code /reportes} every 100 ms that counts a failure when none of the reports
 * addresses answers 200 (as the gateway asks the next one).
 */
final class RegistrationLoad {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI register;

	private final List<URI> reports;

	final Queue<String> ok = new ConcurrentLinkedQueue<>();

	private final Queue<Long> okTimes = new ConcurrentLinkedQueue<>();

	final AtomicInteger failed = new AtomicInteger();

	final AtomicInteger readFailures = new AtomicInteger();

	final Queue<String> otherAnswers = new ConcurrentLinkedQueue<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	RegistrationLoad(URI register, URI... reports) {
		this.register = register;
		this.reports = List.of(reports);
	}

	void start(int senders) {
		for (int i = 0; i < senders; i++) {
			this.threads.add(run(this::send));
		}
		this.threads.add(run(this::read));
	}

	private Thread run(Runnable task) {
		Thread thread = new Thread(task);
		thread.start();
		return thread;
	}

	private void send() {
		HttpRequest request = HttpRequest.newBuilder(this.register).timeout(Duration.ofSeconds(30)).build();
		while (this.running) {
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					this.ok.add(JsonPath.read(response.body(), "$.registered.message_id"));
					this.okTimes.add(System.nanoTime());
				}
				else if (response.statusCode() == 503) {
					this.failed.incrementAndGet();
				}
				else {
					this.otherAnswers.add(response.statusCode() + " " + response.body());
				}
			}
			catch (IOException ex) {
				// An answer never read may have been either: the bound must allow it.
				this.failed.incrementAndGet();
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void read() {
		while (this.running) {
			try {
				if (!reportsAnswer()) {
					this.readFailures.incrementAndGet();
				}
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private boolean reportsAnswer() throws InterruptedException {
		for (URI uri : this.reports) {
			try {
				if (ServiceProcess.getAsAdmin(uri).statusCode() == 200) {
					return true;
				}
			}
			catch (IOException ex) {
				// the next one, then
			}
		}
		return false;
	}

	long okAfter(long nanos) {
		return this.okTimes.stream().filter(time -> time > nanos).count();
	}

	void stop() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(60_000);
		}
	}

}
