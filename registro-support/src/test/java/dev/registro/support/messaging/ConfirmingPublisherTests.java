package dev.registro.support.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.registro.support.messaging.PublishFailedException.Reason;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionBlockedEvent;
import org.springframework.amqp.rabbit.connection.ConnectionUnblockedEvent;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class ConfirmingPublisherTests {

	private final RabbitTemplate rabbit = mock(RabbitTemplate.class);

	private final ConfirmingPublisher publisher = new ConfirmingPublisher(this.rabbit, Duration.ofMillis(200));

	@Test
	void succeedsOnceTheBrokerConfirmsAndRouted() {
		brokerAnswers(correlation -> correlation.getFuture().complete(new CorrelationData.Confirm(true, null)));

		assertThat(publish()).succeedsWithin(Duration.ofSeconds(1));
	}

	@Test
	void failsWhenTheBrokerNacks() {
		brokerAnswers(correlation -> correlation.getFuture().complete(new CorrelationData.Confirm(false, "disk full")));

		assertFailure(publish(), Reason.NACKED, "broker refused it: disk full");
	}

	@Test
	void failsWhenTheBrokerReturnsTheMessageEvenThoughItAcks() {
		brokerAnswers(correlation -> {
			correlation.setReturned(new ReturnedMessage(message("m1"), 312, "NO_ROUTE", "", "registro"));
			correlation.getFuture().complete(new CorrelationData.Confirm(true, null));
		});

		assertFailure(publish(), Reason.RETURNED, "could not route it to 'registro' (312 NO_ROUTE)");
	}

	@Test
	void failsWhenNoConfirmComesInTime() {
		brokerAnswers(correlation -> {
		});

		assertFailure(publish(), Reason.TIMEOUT, "did not confirm within 200 ms");
	}

	@Test
	void failsAtOnceWhenTheBrokerIsUnreachable() {
		willThrow(new AmqpConnectException(new java.net.ConnectException("Connection refused"))).given(this.rabbit)
			.send(anyString(), anyString(), any(Message.class), any(CorrelationData.class));

		CompletableFuture<Void> outcome = publish();

		assertThat(outcome).isCompletedExceptionally();
		assertFailure(outcome, Reason.UNREACHABLE, "Connection refused");
	}

	@Test
	void refusesToPublishWhileTheBrokerBlocksPublishersInsteadOfHanging() {
		this.publisher.onBlocked(new ConnectionBlockedEvent(mock(Connection.class), "low on memory"));

		assertFailure(publish(), Reason.BLOCKED, "low on memory");
		verify(this.rabbit, never()).send(anyString(), anyString(), any(Message.class), any(CorrelationData.class));

		this.publisher.onUnblocked(new ConnectionUnblockedEvent(mock(Connection.class)));
		brokerAnswers(correlation -> correlation.getFuture().complete(new CorrelationData.Confirm(true, null)));
		assertThat(publish()).succeedsWithin(Duration.ofSeconds(1));
	}

	private CompletableFuture<Void> publish() {
		return this.publisher.publish("", "registro", message("m1"));
	}

	private void brokerAnswers(Consumer<CorrelationData> broker) {
		willAnswer(invocation -> {
			CorrelationData correlation = invocation.getArgument(3);
			assertThat(correlation.getId()).isEqualTo("m1");
			broker.accept(correlation);
			return null;
		}).given(this.rabbit).send(eq(""), eq("registro"), any(Message.class), any(CorrelationData.class));
	}

	private static Message message(String id) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(id);
		return new Message(new byte[0], properties);
	}

	private static void assertFailure(CompletableFuture<Void> outcome, Reason reason, String messagePart) {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> outcome.get(2, java.util.concurrent.TimeUnit.SECONDS))
			.satisfies(ex -> {
				PublishFailedException failure = PublishFailedException.from(ex.getCause());
				assertThat(failure.reason()).isEqualTo(reason);
				assertThat(failure.getMessage()).contains(messagePart);
			});
	}

}
