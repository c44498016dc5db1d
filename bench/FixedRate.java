import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Usage: java bench/FixedRate.java gateway-url rate seconds admin-user admin-password
 *
 * Registers at a fixed rate through the gateway, spread over /cliente/uno, /dos and /tres,
 * from 32 keep-alive connections, and meanwhile polls /reportes as the admin. Prints one line
 * of key=value figures:
 * <ul>
 * <li>latency of each registration from the moment it was due, not from when it was sent, so
 * a stall counts for every request it delayed: p50, p99, p99.9 and max;</li>
 * <li>visibility: for the k-th 200 answer (in the order the answers came), the time until a
 * poll of /reportes shows at least k more registrations than before the run, p50 and p99.
 * Polls run back to back, 2 ms apart, and a poll counts when its answer arrives, so the figure
 * errs high by up to a poll's round trip.</li>
 * </ul>
 * Plain sockets rather than an HTTP client library: the generator must cost little CPU on the
 * machine it measures, and hold a fixed number of connections, as a real caller would.
 */
class FixedRate {

	private static final String[] ROUTES = { "/cliente/uno", "/cliente/dos", "/cliente/tres" };

	private static final int CONNECTIONS = 32;

	private static final Pattern COUNT = Pattern.compile(":\\s*(\\d+)");

	public static void main(String[] args) throws Exception {
		if (args.length != 5) {
			System.err.println("usage: FixedRate gateway-url rate seconds admin-user admin-password");
			System.exit(2);
		}
		URI gateway = URI.create(args[0]);
		int rate = Integer.parseInt(args[1]);
		int seconds = Integer.parseInt(args[2]);
		String authorization = "Basic "
				+ Base64.getEncoder().encodeToString((args[3] + ":" + args[4]).getBytes(StandardCharsets.UTF_8));
		int total = rate * seconds;

		Connection reports = new Connection(gateway);
		long baseline = totalCount(reports.get("/reportes", authorization));
		long[] latency = new long[total];
		long[] answeredAt = new long[total];
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger otherStatus = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		AtomicInteger next = new AtomicInteger();

		List<long[]> polls = new ArrayList<>();
		Thread polling = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					long count = totalCount(reports.get("/reportes", authorization)) - baseline;
					synchronized (polls) {
						polls.add(new long[] { System.nanoTime(), count });
					}
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (IOException | RuntimeException ex) {
					// A failed poll leaves a gap; the next one tells.
				}
			}
		}, "poller");

		long period = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
		List<Thread> senders = new ArrayList<>();
		for (int c = 0; c < CONNECTIONS; c++) {
			Connection connection = new Connection(gateway);
			senders.add(new Thread(() -> {
				for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
					long due = start + i * period;
					long wait = due - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
					try {
						int status = connection.get(ROUTES[i % ROUTES.length], null).status();
						long now = System.nanoTime();
						latency[i] = now - due;
						if (status == 200) {
							answeredAt[i] = now;
							ok.incrementAndGet();
						}
						else {
							otherStatus.incrementAndGet();
						}
					}
					catch (IOException ex) {
						latency[i] = System.nanoTime() - due;
						errors.incrementAndGet();
						connection.close();
					}
				}
			}, "sender-" + c));
		}
		polling.start();
		senders.forEach(Thread::start);
		for (Thread sender : senders) {
			sender.join();
		}
		double runSeconds = (System.nanoTime() - start) / 1e9;

		// Wait until every 200 is visible in /reportes, or give up after 10 s.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			synchronized (polls) {
				if (!polls.isEmpty() && polls.get(polls.size() - 1)[1] >= ok.get()) {
					break;
				}
			}
			Thread.sleep(10);
		}
		polling.interrupt();
		polling.join();

		long[] answers = Arrays.stream(answeredAt).filter(t -> t != 0).sorted().toArray();
		long[] visible = new long[answers.length];
		int p = 0;
		int seen = 0;
		for (int k = 0; k < answers.length; k++) {
			while (p < polls.size() && (polls.get(p)[0] < answers[k] || polls.get(p)[1] < k + 1)) {
				p++;
			}
			if (p == polls.size()) {
				break;
			}
			visible[seen++] = polls.get(p)[0] - answers[k];
		}
		long counted = polls.isEmpty() ? 0 : polls.get(polls.size() - 1)[1];
		Arrays.sort(latency);
		long[] visibleSorted = Arrays.copyOf(visible, seen);
		Arrays.sort(visibleSorted);
		System.out.printf(
				"rate=%d sent=%d seconds=%.1f achieved_rate=%.0f ok=%d other_status=%d errors=%d counted=%d "
						+ "p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f visible_p50_ms=%.2f visible_p99_ms=%.2f "
						+ "visible_of=%d%n",
				rate, total, runSeconds, total / runSeconds, ok.get(), otherStatus.get(), errors.get(), counted,
				millis(latency, 0.50), millis(latency, 0.99), millis(latency, 0.999), millis(latency, 1.0),
				millis(visibleSorted, 0.50), millis(visibleSorted, 0.99), seen);
	}

	private static long totalCount(Response response) {
		if (response.status() != 200) {
			throw new IllegalStateException("/reportes answered " + response.status());
		}
		long sum = 0;
		Matcher matcher = COUNT.matcher(response.body());
		while (matcher.find()) {
			sum += Long.parseLong(matcher.group(1));
		}
		return sum;
	}

	private static double millis(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	record Response(int status, String body) {
	}

	/** One HTTP/1.1 keep-alive connection, opened again after an error. */
	static final class Connection {

		private final URI gateway;

		private Socket socket;

		private InputStream in;

		private OutputStream out;

		Connection(URI gateway) {
			this.gateway = gateway;
		}

		Response get(String path, String authorization) throws IOException {
			if (this.socket == null) {
				this.socket = new Socket(this.gateway.getHost(), this.gateway.getPort());
				this.socket.setTcpNoDelay(true);
				this.socket.setSoTimeout(15_000);
				this.in = new BufferedInputStream(this.socket.getInputStream());
				this.out = this.socket.getOutputStream();
			}
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + this.gateway.getAuthority() + "\r\n"
					+ (authorization != null ? "Authorization: " + authorization + "\r\n" : "") + "\r\n";
			this.out.write(request.getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
			String statusLine = line();
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			int length = -1;
			boolean chunked = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String lower = header.toLowerCase();
				if (lower.startsWith("content-length:")) {
					length = Integer.parseInt(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (chunked) {
				for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
					body.write(this.in.readNBytes(size));
					line();
				}
				line();
			}
			else if (length >= 0) {
				body.write(this.in.readNBytes(length));
			}
			return new Response(status, body.toString(StandardCharsets.UTF_8));
		}

		private String line() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("connection closed");
				}
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

		void close() {
			try {
				if (this.socket != null) {
					this.socket.close();
				}
			}
			catch (IOException ex) {
				// Closing after an error: nothing more to learn.
			}
			this.socket = null;
		}

	}

}
