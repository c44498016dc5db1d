package dev.registro.support.messaging;

import java.util.List;
import java.util.stream.IntStream;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/** Every batch ends acknowledged or handed back, whatever its work does. */
class BatchListenersTests {

	private final Channel channel = mock(Channel.class);

	@Test
	void acknowledgesTheWholeBatchOnceTheWorkIsDone() throws Exception {
		boolean[] done = { false };

		BatchListeners.acknowledgeAfter(batch(3), this.channel, () -> done[0] = true);

		assertThat(done[0]).isTrue();
		verify(this.channel).basicAck(3, true);
	}

	@Test
	void handsTheBatchBackAfterAPauseWhenTheWorkFailsInAWayNothingExpects() throws Exception {
		long start = System.nanoTime();

		BatchListeners.acknowledgeAfter(batch(2), this.channel, () -> {
			throw new IllegalStateException("a bug");
		});

		verify(this.channel).basicNack(2, true, true);
		verify(this.channel, never()).basicAck(anyLong(), anyBoolean());
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(BatchListeners.UNEXPECTED_FAILURE_PAUSE.toNanos());
	}

	@Test
	void doesNothingWithAnEmptyBatch() throws Exception {
		BatchListeners.acknowledgeAfter(List.of(), this.channel, () -> {
			throw new AssertionError("no work for an empty batch");
		});

		verifyNoInteractions(this.channel);
	}

	@Test
	void prefetchesTwoBatchesWhenTheLargestBodiesFitAQuarterOfTheHeap() {
		// reporte's batches of 1 000, bodies of at most 16 KiB, a heap of 160 MB: 2 000 x
		// 16 KiB = 32 MB.
		assertThat(BatchListeners.prefetch(1000, 16 * 1024, 160L << 20)).isEqualTo(2000);
	}

	@Test
	void prefetchesOnlyAsManyOfTheLargestBodiesAsAQuarterOfTheHeapHolds() {
		// A broker that takes bodies of 16 MiB, RabbitMQ 4's own limit: two of them in
		// 160 MB.
		assertThat(BatchListeners.prefetch(1000, 16 << 20, 160L << 20)).isEqualTo(2);
		assertThat(BatchListeners.prefetch(250, 16 * 1024, 16L << 20)).isEqualTo(256);
		assertThat(BatchListeners.prefetch(1000, 128 << 20, 160L << 20)).isEqualTo(1);
	}

	private static List<Message> batch(int size) {
		return IntStream.rangeClosed(1, size).mapToObj(tag -> {
			MessageProperties properties = new MessageProperties();
			properties.setDeliveryTag(tag);
			return new Message(new byte[0], properties);
		}).toList();
	}

}
