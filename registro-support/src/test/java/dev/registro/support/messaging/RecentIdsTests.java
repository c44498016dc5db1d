package dev.registro.support.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecentIdsTests {

	@Test
	void remembersTheLatestIdsAndForgetsTheOldestFirst() {
		RecentIds ids = new RecentIds(3);
		for (String id : new String[] { "a", "b", "c", "d" }) {
			ids.add(id);
		}

		assertThat(ids.contains("a")).isFalse();
		assertThat(ids.contains("d")).isTrue();
		assertThat(ids.oldestFirst()).containsExactly("b", "c", "d");
	}

	@Test
	void neverRemembersAMissingId() {
		RecentIds ids = new RecentIds(3);
		ids.add(null);

		assertThat(ids.contains(null)).isFalse();
		assertThat(ids.oldestFirst()).isEmpty();
	}

	@Test
	void refusesAZeroCapacity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecentIds(0));
	}

}
