package dev.registro.logger.history;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTests {

	private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

	private final EventIds ids = new EventIds(Duration.ofMinutes(11));

	@Test
	void remembersAnIdUntilAnEventMoreThanTheWindowLaterArrives() {
		this.ids.add("first", T0);
		this.ids.add("within", T0.plus(Duration.ofMinutes(11)));

		assertThat(this.ids.contains("first")).isTrue();

		this.ids.add("past", T0.plus(Duration.ofMinutes(11)).plusMillis(1));

		assertThat(this.ids.contains("first")).isFalse();
		assertThat(this.ids.contains("within")).isTrue();
		assertThat(this.ids.contains("past")).isTrue();
		assertThat(this.ids.size()).isEqualTo(2);
	}

	@Test
	void forgetsNothingWhileNothingNewerArrivesHoweverLongThatTakes() {
		this.ids.add(UUID.randomUUID().toString(), T0);
		String late = UUID.randomUUID().toString();
		this.ids.add(late, T0.minus(Duration.ofHours(5)));

		assertThat(this.ids.contains(late)).isTrue();
		assertThat(this.ids.size()).isEqualTo(2);
	}

	@Test
	void answersLikeASetThroughAHundredThousandIdsComingAndGoing() {
		Random random = new Random(42);
		Duration window = Duration.ofSeconds(30);
		EventIds windowed = new EventIds(window);
		Map<String, Instant> reference = new HashMap<>();
		Instant newest = T0;
		for (int i = 0; i < 120_000; i++) {
			String id = (i % 3 == 0) ? "event-" + i : UUID.randomUUID().toString();
			// times mostly rising, some late
			Instant time = T0.plusMillis(i * 2L - random.nextInt(5_000));
			windowed.add(id, time);
			reference.put(id, time);
			newest = newest.isAfter(time) ? newest : time;
			if (i % 997 == 0) {
				Instant cutoff = newest.minus(window);
				reference.values().removeIf(t -> t.isBefore(cutoff.minusSeconds(10)));
				// every id well within the window is there; every one long gone is not
				reference.forEach((known, t) -> {
					if (!t.isBefore(cutoff.plusSeconds(10))) {
						assertThat(windowed.contains(known)).as(known).isTrue();
					}
				});
			}
		}
		assertThat(windowed.contains("event-0")).isFalse();
		assertThat(windowed.contains("never seen")).isFalse();
		assertThat(windowed.size()).isLessThan(30_000);
	}

	@Test
	void idsReadBackwardsAreRememberedAndForgottenAsIfTheyHadArrivedInOrder() {
		EventIds backwards = new EventIds(Duration.ofMinutes(11));
		for (int minute = 11; minute >= 0; minute--) {
			backwards.addEarlier("minute-" + minute, T0.plus(Duration.ofMinutes(minute)));
		}

		assertThat(backwards.size()).isEqualTo(12);
		assertThat(backwards.contains("minute-0")).isTrue();

		backwards.add("minute-12", T0.plus(Duration.ofMinutes(12)));

		assertThat(backwards.contains("minute-0")).isFalse();
		assertThat(backwards.contains("minute-1")).isTrue();
		assertThat(backwards.contains("minute-12")).isTrue();
		assertThat(backwards.size()).isEqualTo(12);
	}

	@Test
	void hashesUuidsAndOtherIdsApart() {
		assertThat(EventIds.hash("c0a80101-0000-4000-8000-000000000001"))
			.isNotEqualTo(EventIds.hash("c0a80101-0000-4000-8000-000000000002"))
			.isNotZero();
		assertThat(EventIds.hash("a")).isNotEqualTo(EventIds.hash("b")).isNotZero();
		assertThat(EventIds.hash("not-a-uuid")).isEqualTo(EventIds.hash("not-a-uuid"));
	}

}
