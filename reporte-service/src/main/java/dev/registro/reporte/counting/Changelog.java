package dev.registro.reporte.counting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.registro.contract.Topology;
import dev.registro.support.messaging.ConfirmingPublisher;
import dev.registro.support.messaging.PausingRetry;
import dev.registro.support.messaging.PublishFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * The counts kept in RabbitMQ, shared by every reporte instance through the stream
 * {@value Topology#REPORTE_CHANGELOG}, replicated by the broker like its queues.
 * <p>
 * The instance that counts (the single active consumer of {@code registro}) records each
 * batch's {@link Change} in the stream, confirmed, before it applies it and acknowledges
 * the batch; now and then it records a full {@link Snapshot} as well. Every instance
 * reads the stream and applies the changes of the others, so that each answers
 * {@code /reportes} with the same counts and is ready to count the moment RabbitMQ makes
 * it the active consumer. Applying is by message id, so a change applied twice, or a
 * message counted by an instance that lost its turn, counts once.
 * <p>
 * A starting instance reads from a little before the last snapshot interval, skips to the
 * first snapshot, and applies what follows; where that finds none (nothing was counted
 * lately, so no snapshot was due), it looks eight times further back, and so on, up to a
 * day; then from the stream's first record. A stream that begins inside the window read
 * is applied from its beginning. It is ready, and starts consuming {@code registro}, once
 * it has read its own fence: a marker it published after it began to read, so everything
 * recorded before is applied. It reads to a fence again whenever it starts counting
 * through a new consumer, so that it never counts a copy of a message whose change is
 * still on its way.
 * <p>
 * The broker refuses bodies above {@link Topology#MAX_MESSAGE_BYTES}, so a record is
 * written in parts; a reader applies a record only once it has all of its parts, so a
 * writer that dies halfway leaves nothing applied (and its batch unacknowledged).
 */
class Changelog implements CountKeeper, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Changelog.class);

	static final String KIND_HEADER = "x-registro-kind";

	static final String WRITER_HEADER = "x-registro-writer";

	static final String RECORD_HEADER = "x-registro-record";

	static final String PART_HEADER = "x-registro-part";

	static final String PARTS_HEADER = "x-registro-parts";

	static final String CHANGE = "change";

	static final String SNAPSHOT = "snapshot";

	static final String FENCE = "fence";

	/** A record's bytes per message, well below what the broker takes. */
	static final int PART_BYTES = Topology.MAX_MESSAGE_BYTES - 4096;

	private static final int PREFETCH = 500;

	private static final Duration FENCE_WAIT = Duration.ofSeconds(15);

	private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

	/** How much further back a start that found no snapshot looks the next time. */
	private static final int LOOKBACK_GROWTH = 8;

	/** Beyond this, a start reads the stream from its first record. */
	private static final Duration MAX_LOOKBACK = Duration.ofDays(1);

	private final JsonMapper json = JsonMapper.builder().build();

	private final String writer = UUID.randomUUID().toString();

	private final Tally tally;

	private final ConfirmingPublisher publisher;

	private final ConnectionFactory connectionFactory;

	private final PausingRetry writes;

	private final RabbitListenerEndpointRegistry listeners;

	private final Duration snapshotInterval;

	private final Clock clock;

	private final Map<String, CompletableFuture<Void>> fences = new ConcurrentHashMap<>();

	/** The next record this instance writes. Only the counting thread writes. */
	private long nextRecord;

	/** The source of the latest change this instance counted; counting thread only. */
	private String countingAs;

	private Instant lastSnapshot;

	private final Reader reader = new Reader();

	private volatile boolean running;

	private Thread readerThread;

	Changelog(Tally tally, ConfirmingPublisher publisher, ConnectionFactory connectionFactory, PausingRetry writes,
			RabbitListenerEndpointRegistry listeners, Duration snapshotInterval, Clock clock) {
		this.tally = tally;
		this.publisher = publisher;
		this.connectionFactory = connectionFactory;
		this.writes = writes;
		this.listeners = listeners;
		this.snapshotInterval = snapshotInterval;
		this.clock = clock;
		tally.complete(false);
	}

	@Override
	public String source(String consumerTag) {
		return this.writer + "/" + consumerTag;
	}

	@Override
	public void keep(Change change) throws InterruptedException {
		if (!change.source().equals(this.countingAs)) {
			log.info("Counting through a new consumer ({}): reading the changelog to its end first", change.source());
			catchUp();
			this.countingAs = change.source();
		}
		byte[] record = this.json.writeValueAsBytes(change);
		long number = this.nextRecord++;
		this.writes.untilDone("recording a change in " + Topology.REPORTE_CHANGELOG,
				() -> write(CHANGE, number, record));
		this.tally.apply(change);
		snapshotIfDue();
	}

	/** Returns once every record written before the call has been applied here. */
	private void catchUp() throws InterruptedException {
		while (true) {
			String nonce = UUID.randomUUID().toString();
			CompletableFuture<Void> seen = new CompletableFuture<>();
			this.fences.put(nonce, seen);
			long number = this.nextRecord++;
			this.writes.untilDone("marking the end of " + Topology.REPORTE_CHANGELOG,
					() -> write(FENCE, number, nonce.getBytes(StandardCharsets.UTF_8)));
			try {
				seen.get(FENCE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
				return;
			}
			catch (TimeoutException ex) {
				log.info("Still reading {} to its end after {} s", Topology.REPORTE_CHANGELOG, FENCE_WAIT.toSeconds());
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				this.fences.remove(nonce);
			}
		}
	}

	private void snapshotIfDue() {
		Instant now = this.clock.instant();
		if (this.lastSnapshot != null && now.isBefore(this.lastSnapshot.plus(this.snapshotInterval))) {
			return;
		}
		this.lastSnapshot = now;
		try {
			write(SNAPSHOT, this.nextRecord++, this.json.writeValueAsBytes(this.tally.snapshot()));
		}
		catch (IOException ex) {
			// Nothing is lost: readers start from an earlier snapshot, or the next one.
			log.warn("A snapshot could not be recorded in {} ({}); the next is due in {} s", Topology.REPORTE_CHANGELOG,
					ex.getMessage(), this.snapshotInterval.toSeconds());
		}
	}

	/** Writes one record in parts and waits until the broker has confirmed them all. */
	private void write(String kind, long number, byte[] record) throws IOException {
		int parts = Math.max(1, (record.length + PART_BYTES - 1) / PART_BYTES);
		List<CompletableFuture<Void>> confirms = new ArrayList<>(parts);
		for (int part = 0; part < parts; part++) {
			MessageProperties properties = new MessageProperties();
			properties.setMessageId(this.writer + ":" + number + ":" + part);
			properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
			properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
			properties.setHeader(KIND_HEADER, kind);
			properties.setHeader(WRITER_HEADER, this.writer);
			properties.setHeader(RECORD_HEADER, number);
			properties.setHeader(PART_HEADER, part);
			properties.setHeader(PARTS_HEADER, parts);
			byte[] body = Arrays.copyOfRange(record, part * PART_BYTES,
					Math.min(record.length, (part + 1) * PART_BYTES));
			confirms.add(this.publisher.publish("", Topology.REPORTE_CHANGELOG, new Message(body, properties)));
		}
		try {
			CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).join();
		}
		catch (CompletionException ex) {
			throw new IOException(PublishFailedException.from(ex).getMessage(), ex);
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.readerThread = new Thread(this.reader::run, "changelog-reader");
		this.readerThread.setDaemon(true);
		this.readerThread.start();
		Thread starter = new Thread(this::startCounting, "changelog-catch-up");
		starter.setDaemon(true);
		starter.start();
	}

	/**
	 * Ready, and a candidate to count, once everything recorded before the start is
	 * applied.
	 */
	private void startCounting() {
		try {
			catchUp();
			this.tally.complete(true);
			log.info("Caught up with {}: {} registrations of {} services; waiting for a turn to count",
					Topology.REPORTE_CHANGELOG, this.tally.summary().total(), this.tally.services());
			this.listeners.getListenerContainer(RegistroListener.LISTENER_ID).start();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.readerThread != null) {
			this.readerThread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before the listener containers, and stops after them. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1000;
	}

	/**
	 * Reads the stream on a channel of its own and applies what others recorded; moves to
	 * another node, where it left off, when its channel closes.
	 */
	private final class Reader {

		private final Map<String, Assembly> assemblies = new HashMap<>();

		private final Map<String, Long> appliedRecords = new HashMap<>();

		/** Where to start from when nothing was read yet. */
		private volatile Object start;

		/** How far back from now {@link #start} is, while it is a time. */
		private Duration lookback;

		/** The offset after the last one read, or -1 before the first. */
		private volatile long nextOffset = -1;

		/**
		 * Tells the deliveries of the current subscription from those of an earlier one.
		 */
		private volatile int subscription;

		/**
		 * Waiting for a snapshot to start from; what comes before one cannot be applied.
		 */
		private boolean seeking = true;

		private volatile boolean restart;

		void run() {
			this.lookback = snapshotInterval.multipliedBy(2);
			this.start = Date.from(clock.instant().minus(this.lookback));
			while (running) {
				Channel channel = null;
				try {
					channel = connectionFactory.createConnection().getDelegate().createChannel();
					channel.basicQos(PREFETCH);
					Object offset = (this.nextOffset >= 0) ? this.nextOffset : this.start;
					// A new number before the restart flag falls: what the earlier
					// subscription
					// still delivers is dropped.
					int current = ++this.subscription;
					this.restart = false;
					channel.basicConsume(Topology.REPORTE_CHANGELOG, false, Map.of("x-stream-offset", offset),
							new Consumer(channel, current));
					while (running && channel.isOpen() && !this.restart) {
						Thread.sleep(100);
					}
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					log.warn("Cannot read {} ({}); trying again in {} s", Topology.REPORTE_CHANGELOG, ex.toString(),
							RECONNECT_PAUSE.toSeconds());
					pause();
				}
				finally {
					closeQuietly(channel);
				}
			}
		}

		/** Called on the channel's thread, one delivery after the other. */
		void onDelivery(int from, Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
				throws IOException {
			Map<String, Object> headers = properties.getHeaders();
			long offset = ((Number) headers.get("x-stream-offset")).longValue();
			// A consumer starts at the beginning of the chunk that holds its offset.
			if (from == this.subscription && offset >= this.nextOffset && !this.restart) {
				if (this.nextOffset < 0 && offset == 0) {
					this.seeking = false;
				}
				this.nextOffset = offset + 1;
				part(headers, body);
			}
			channel.basicAck(envelope.getDeliveryTag(), false);
		}

		private void part(Map<String, Object> headers, byte[] body) {
			String from = String.valueOf(headers.get(WRITER_HEADER));
			long number = ((Number) headers.get(RECORD_HEADER)).longValue();
			int part = ((Number) headers.get(PART_HEADER)).intValue();
			int parts = ((Number) headers.get(PARTS_HEADER)).intValue();
			Assembly assembly = (part == 0) ? new Assembly(number) : this.assemblies.get(from);
			if (assembly == null || assembly.number != number || assembly.next != part) {
				// The rest of a record whose first parts were not read, or were written
				// by a writer that died halfway.
				this.assemblies.remove(from);
				return;
			}
			assembly.add(body);
			if (assembly.next < parts) {
				this.assemblies.put(from, assembly);
				return;
			}
			this.assemblies.remove(from);
			record(String.valueOf(headers.get(KIND_HEADER)), from, number, assembly.bytes.toByteArray());
		}

		private void record(String kind, String from, long number, byte[] record) {
			try {
				apply(kind, from, number, record);
			}
			catch (RuntimeException ex) {
				log.error("Skipped record {} of {} in {}, which cannot be applied", number, from,
						Topology.REPORTE_CHANGELOG, ex);
			}
		}

		private void apply(String kind, String from, long number, byte[] record) {
			switch (kind) {
				case FENCE -> {
					if (from.equals(writer)) {
						fence(new String(record, StandardCharsets.UTF_8));
					}
				}
				case SNAPSHOT -> {
					if (this.seeking) {
						Snapshot snapshot = json.readValue(record, Snapshot.class);
						tally.restore(snapshot);
						this.seeking = false;
						this.appliedRecords.put(from, number);
						log.info("Starting from a snapshot in {}: {} registrations of {} services",
								Topology.REPORTE_CHANGELOG, tally.summary().total(), snapshot.services().size());
					}
				}
				case CHANGE -> {
					if (!this.seeking && !from.equals(writer) && number > this.appliedRecords.getOrDefault(from, -1L)) {
						tally.apply(json.readValue(record, Change.class));
						this.appliedRecords.put(from, number);
					}
				}
				default -> log.warn("Skipped a record of unknown kind '{}' in {}", kind, Topology.REPORTE_CHANGELOG);
			}
		}

		private void fence(String nonce) {
			if (!this.seeking) {
				CompletableFuture<Void> waiting = fences.get(nonce);
				if (waiting != null) {
					waiting.complete(null);
				}
				return;
			}
			if ("first".equals(this.start)) {
				log.error(
						"{} holds no snapshot to start from, and its first records were dropped by its "
								+ "retention: the counts cannot be rebuilt from it; reading it again",
						Topology.REPORTE_CHANGELOG);
			}
			else {
				// Nothing counted lately, so the latest snapshot is older: look further
				// back, and read the whole stream only as the last resort.
				this.lookback = this.lookback.multipliedBy(LOOKBACK_GROWTH);
				Object further = (this.lookback.compareTo(MAX_LOOKBACK) > 0) ? "first"
						: Date.from(clock.instant().minus(this.lookback));
				log.info("No snapshot in {} since {}: reading it from {}", Topology.REPORTE_CHANGELOG, this.start,
						further);
				this.start = further;
			}
			this.nextOffset = -1;
			this.assemblies.clear();
			this.restart = true;
		}

		private void pause() {
			try {
				Thread.sleep(RECONNECT_PAUSE.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static void closeQuietly(Channel channel) {
			if (channel != null && channel.isOpen()) {
				try {
					channel.close();
				}
				catch (IOException | TimeoutException | RuntimeException ex) {
					// closing anyway
				}
			}
		}

		private final class Consumer extends DefaultConsumer {

			private final int subscription;

			Consumer(Channel channel, int subscription) {
				super(channel);
				this.subscription = subscription;
			}

			@Override
			public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
					byte[] body) throws IOException {
				onDelivery(this.subscription, getChannel(), envelope, properties, body);
			}

		}

	}

	/** The parts of one record read so far. */
	private static final class Assembly {

		private final long number;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private int next;

		Assembly(long number) {
			this.number = number;
		}

		void add(byte[] part) {
			this.bytes.writeBytes(part);
			this.next++;
		}

	}

}
