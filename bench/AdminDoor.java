import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Usage: java bench/AdminDoor.java gateway-url admin-user admin-password
 *
 * The admin door under attack, through a gateway that has its admin rate limit on (a user's
 * stack as scripts/local-stack.sh starts it). After 10 s of warming, the admin reads /reportes 8
 * times a second from 127.0.0.1 and its latency (from when each read was due) is measured in
 * three kinds of phase, which take turns in 5-second slices, six rounds (30 s, 240 reads of
 * each kind), the p99 also as a multiple of the quiet one:
 * <ol>
 * <li>quiet: nobody else;</li>
 * <li>one guesser: wrong passwords for the admin's username from 127.0.0.2, one after another
 * as fast as the answers come (the "60 wrong logins in a row", kept up);</li>
 * <li>spread guessers: four at once, each guess from the next address of 127.0.10.0 to
 * 127.0.13.255, so that neither the gateway's limit nor the per-address throttle holds them
 * back: only the per-username throttle and the turns bcrypt checks take.</li>
 * </ol>
 * Then the username oracle: 40 wrong logins for the admin's username and 40 for unknown ones,
 * alternating, each from an address that never failed (127.0.20.x), so that every one is
 * checked; the medians of both, and how far apart they are.
 * <p>
 * Prints key=value lines. Each request is a connection of its own (HTTP/1.0), from the source
 * address its client has, as it would come from another machine.
 */
class AdminDoor {

	private static final int ADMIN_RATE = 8;

	private static final int ROUNDS = 6;

	private static final int SLICE_SECONDS = 5;

	/** Every guess of the run numbered, so that spread guessers keep taking new addresses. */
	private static final AtomicInteger guessNumber = new AtomicInteger();

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: AdminDoor gateway-url admin-user admin-password");
			System.exit(2);
		}
		URI gateway = URI.create(args[0]);
		String admin = basic(args[1], args[2]);
		String guess = basic(args[1], "not-the-password");

		// Warm: the admin's password checked once, and the paths compiled, as on a stack
		// that has been up a while.
		phase(gateway, admin, 0, null, 10);
		// The three kinds of phase take turns in short slices, so that drift (the machine's
		// other load, its clock, the JIT) spreads over all three alike.
		List<Phase> quiet = new ArrayList<>();
		List<Phase> oneGuesser = new ArrayList<>();
		List<Phase> spread = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			quiet.add(phase(gateway, admin, 0, null, SLICE_SECONDS));
			oneGuesser.add(phase(gateway, admin, 1, (n) -> "127.0.0.2", SLICE_SECONDS));
			spread.add(phase(gateway, admin, 4, (n) -> "127.0." + (10 + (n / 256) % 4) + "." + (n % 256),
					SLICE_SECONDS));
		}
		long quietP99 = report("quiet", Phase.of(quiet), 0);
		report("one_guesser", Phase.of(oneGuesser), quietP99);
		report("spread_guessers", Phase.of(spread), quietP99);

		long[] known = new long[40];
		long[] unknown = new long[40];
		for (int i = 0; i < 40; i++) {
			known[i] = timed(gateway, "127.0.20." + (2 * i + 1), guess);
			unknown[i] = timed(gateway, "127.0.20." + (2 * i + 2), basic("nobody-" + i, "not-the-password"));
		}
		double knownMedian = median(known) / 1e6;
		double unknownMedian = median(unknown) / 1e6;
		System.out.printf("oracle known_username_median_ms=%.1f unknown_username_median_ms=%.1f difference=%.1f%%%n",
				knownMedian, unknownMedian,
				100 * Math.abs(knownMedian - unknownMedian) / Math.min(knownMedian, unknownMedian));
	}

	/**
	 * The admin's reads for one phase, while {@code guessers} guess from the addresses
	 * {@code from} gives for their n-th guess.
	 */
	private static Phase phase(URI gateway, String admin, int guessers, IntFunction<String> from, int seconds)
			throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
		String guess = basic("admin", "not-the-password");
		List<Thread> threads = new ArrayList<>();
		for (int g = 0; g < guessers; g++) {
			Thread thread = new Thread(() -> {
				while (running.get()) {
					try {
						int status = get(gateway, from.apply(guessNumber.getAndIncrement()), "/reportes", guess);
						answers.computeIfAbsent(status, (s) -> new LongAdder()).increment();
					}
					catch (IOException ex) {
						answers.computeIfAbsent(-1, (s) -> new LongAdder()).increment();
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		int total = ADMIN_RATE * seconds;
		long[] latency = new long[total];
		int failed = 0;
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			long due = start + i * TimeUnit.SECONDS.toNanos(1) / ADMIN_RATE;
			LockSupport.parkNanos(due - System.nanoTime());
			if (get(gateway, "127.0.0.1", "/reportes", admin) != 200) {
				failed++;
			}
			latency[i] = System.nanoTime() - due;
		}
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		return new Phase(latency, failed, answers);
	}

	/**
	 * Prints a phase's figures, with its p99 as a multiple of the quiet one (when given);
	 * returns its p99 in nanoseconds.
	 */
	private static long report(String name, Phase phase, long quietP99) {
		long[] sorted = phase.latency().clone();
		Arrays.sort(sorted);
		long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
		StringBuilder guesses = new StringBuilder();
		phase.guesses()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((answer) -> guesses.append(" guesses_")
				.append((answer.getKey() < 0) ? "refused" : answer.getKey())
				.append('=')
				.append(answer.getValue()));
		String ratio = (quietP99 > 0) ? String.format(" p99_vs_quiet=%.2f", (double) p99 / quietP99) : "";
		System.out.printf("%s admin_reads=%d admin_not_200=%d admin_p50_ms=%.1f admin_p99_ms=%.1f admin_max_ms=%.1f%s%s%n",
				name, sorted.length, phase.failed(), sorted[sorted.length / 2] / 1e6, p99 / 1e6,
				sorted[sorted.length - 1] / 1e6, ratio, guesses);
		return p99;
	}

	private static long timed(URI gateway, String source, String authorization) throws IOException {
		long start = System.nanoTime();
		int status = get(gateway, source, "/reportes", authorization);
		if (status != 401) {
			throw new IllegalStateException("a wrong login from " + source + " got " + status + ", not 401");
		}
		return System.nanoTime() - start;
	}

	private static double median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
	}

	/** One GET over a connection of its own from {@code source}; the answer's status. */
	private static int get(URI gateway, String source, String path, String authorization) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(source, 0));
			socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5000);
			socket.setSoTimeout(30_000);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.0\r\nHost: " + gateway.getAuthority() + "\r\nAuthorization: "
						+ authorization + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			return Integer.parseInt(response.substring(9, 12));
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private record Phase(long[] latency, int failed, Map<Integer, LongAdder> guesses) {

		static Phase of(List<Phase> slices) {
			long[] latency = slices.stream().flatMapToLong((slice) -> Arrays.stream(slice.latency())).toArray();
			Map<Integer, LongAdder> guesses = new ConcurrentHashMap<>();
			slices.forEach((slice) -> slice.guesses()
				.forEach((status, count) -> guesses.computeIfAbsent(status, (s) -> new LongAdder()).add(count.sum())));
			return new Phase(latency, slices.stream().mapToInt(Phase::failed).sum(), guesses);
		}

	}

}
