package dev.registro.support.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ReturnCallback;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.registro.support.messaging.PublishFailedException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Confirms, nacks, returns, timeouts and a broken connection, with the broker's channel
 * played by a mock.
 */
class ConfirmingPublisherTests {

	private final ConnectionFactory connectionFactory = mock(ConnectionFactory.class);

	private final com.rabbitmq.client.Connection connection = mock(com.rabbitmq.client.Connection.class);

	private final Channel channel = mock(Channel.class);

	private final ConfirmingPublisher publisher = new ConfirmingPublisher(this.connectionFactory,
			Duration.ofMillis(200));

	private long nextSequence = 1;

	@BeforeEach
	void broker() throws IOException {
		Connection springConnection = mock(Connection.class);
		given(this.connectionFactory.createConnection()).willReturn(springConnection);
		given(springConnection.getDelegate()).willReturn(this.connection);
		given(this.connection.createChannel()).willReturn(this.channel);
		given(this.channel.isOpen()).willReturn(true);
		given(this.channel.getNextPublishSeqNo()).willAnswer(invocation -> this.nextSequence++);
	}

	@Test
	void succeedsOnceTheBrokerConfirmsAndSendsTheMessageAsItIs() throws IOException {
		CompletableFuture<Void> outcome = publish("m1");
		assertThat(outcome).isNotDone();

		confirms().handleAck(1, false);

		assertThat(outcome).succeedsWithin(Duration.ofSeconds(1));
		ArgumentCaptor<AMQP.BasicProperties> properties = ArgumentCaptor.forClass(AMQP.BasicProperties.class);
		verify(this.channel).basicPublish(eq(""), eq("registro"), eq(true), properties.capture(), any(byte[].class));
		assertThat(properties.getValue().getMessageId()).isEqualTo("m1");
		verify(this.channel).confirmSelect();
	}

	@Test
	void keepsOneChannelForEveryPublishAndTakesMultipleConfirms() throws IOException {
		CompletableFuture<Void> first = publish("m1");
		CompletableFuture<Void> second = publish("m2");
		CompletableFuture<Void> third = publish("m3");

		confirms().handleAck(2, true);

		assertThat(first).succeedsWithin(Duration.ofSeconds(1));
		assertThat(second).succeedsWithin(Duration.ofSeconds(1));
		assertThat(third).isNotDone();
		verify(this.connection, times(1)).createChannel();
	}

	@Test
	void failsWhenTheBrokerNacks() throws IOException {
		CompletableFuture<Void> outcome = publish("m1");

		confirms().handleNack(1, false);

		assertFailure(outcome, Reason.NACKED, "broker refused it");
	}

	@Test
	void failsWhenTheBrokerReturnsTheMessageEvenThoughItAcks() throws IOException {
		CompletableFuture<Void> outcome = publish("m1");
		CompletableFuture<Void> routed = publish("m2");

		returns().handle(new Return(312, "NO_ROUTE", "", "registro",
				new AMQP.BasicProperties.Builder().messageId("m1").build(), new byte[0]));
		confirms().handleAck(2, true);

		assertFailure(outcome, Reason.RETURNED, "could not route it to 'registro' (312 NO_ROUTE)");
		assertThat(routed).succeedsWithin(Duration.ofSeconds(1));
	}

	@Test
	void failsWhenNoConfirmComesInTime() {
		assertFailure(publish("m1"), Reason.TIMEOUT, "did not confirm within 200 ms");
	}

	@Test
	void failsWhatWasNotConfirmedWhenTheChannelClosesAndOpensAnotherForTheNextPublish() throws IOException {
		CompletableFuture<Void> outcome = publish("m1");

		shutdowns().shutdownCompleted(new ShutdownSignalException(true, false, null, this.connection));
		given(this.channel.isOpen()).willReturn(false);

		assertFailure(outcome, Reason.NACKED, "channel closed before the broker confirmed");
		Channel next = mock(Channel.class);
		given(next.isOpen()).willReturn(true);
		given(this.connection.createChannel()).willReturn(next);
		publish("m2");
		verify(next).basicPublish(eq(""), eq("registro"), eq(true), any(AMQP.BasicProperties.class), any(byte[].class));
	}

	@Test
	void failsAtOnceWhenTheBrokerIsUnreachable() {
		willThrow(new AmqpConnectException(new java.net.ConnectException("Connection refused")))
			.given(this.connectionFactory)
			.createConnection();

		CompletableFuture<Void> outcome = publish("m1");

		assertThat(outcome).isCompletedExceptionally();
		assertFailure(outcome, Reason.UNREACHABLE, "Connection refused");
	}

	@Test
	void refusesToPublishWhileTheBrokerBlocksPublishersInsteadOfHanging() throws IOException {
		this.publisher.onBlocked(new ConnectionBlockedEvent(mock(Connection.class), "low on memory"));

		assertFailure(publish("m1"), Reason.BLOCKED, "low on memory");
		verify(this.channel, never()).basicPublish(anyString(), anyString(), anyBoolean(),
				any(AMQP.BasicProperties.class), any(byte[].class));

		this.publisher.onUnblocked(new ConnectionUnblockedEvent(mock(Connection.class)));
		CompletableFuture<Void> outcome = publish("m2");
		confirms().handleAck(1, false);
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(1));
	}

	private CompletableFuture<Void> publish(String id) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		return this.publisher.publish("", "registro", new Message(new byte[0], properties));
	}

	private ConfirmListener confirms() {
		ArgumentCaptor<ConfirmListener> listener = ArgumentCaptor.forClass(ConfirmListener.class);
		verify(this.channel).addConfirmListener(listener.capture());
		return listener.getValue();
	}

	private ReturnCallback returns() {
		ArgumentCaptor<ReturnCallback> listener = ArgumentCaptor.forClass(ReturnCallback.class);
		verify(this.channel).addReturnListener(listener.capture());
		return listener.getValue();
	}

	private ShutdownListener shutdowns() {
		ArgumentCaptor<ShutdownListener> listener = ArgumentCaptor.forClass(ShutdownListener.class);
		verify(this.channel).addShutdownListener(listener.capture());
		return listener.getValue();
	}

	private static void assertFailure(CompletableFuture<Void> outcome, Reason reason, String messagePart) {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> outcome.get(2, TimeUnit.SECONDS)).satisfies(ex -> {
			PublishFailedException failure = PublishFailedException.from(ex.getCause());
			assertThat(failure.reason()).isEqualTo(reason);
			assertThat(failure.getMessage()).contains(messagePart);
		});
	}

}
