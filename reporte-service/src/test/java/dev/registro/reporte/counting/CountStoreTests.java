package dev.registro.reporte.counting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CountStoreTests {

	@TempDir
	Path directory;

	@Test
	void startsEmptyWhenNothingWasSavedYet() throws IOException {
		assertThat(new CountStore(this.directory.resolve("new/counts.json")).load()).isEqualTo(Snapshot.EMPTY);
	}

	@Test
	void readsAFileSavedBeforeIdsWerePinned() throws IOException {
		Path file = this.directory.resolve("counts.json");
		Files.writeString(file,
				"{\"services\":{\"app1\":{\"count\":2,\"last\":null}},\"rejected\":1,\"recent\":[\"m-1\"]}");

		Snapshot snapshot = new CountStore(file).load();

		assertThat(snapshot.services()).containsEntry("app1", new Snapshot.ServiceState(2, null));
		assertThat(snapshot.recent()).containsExactly("m-1");
		assertThat(snapshot.source()).isNull();
		assertThat(snapshot.pinned()).isEmpty();
	}

	@Test
	void readsBackWhatItSaved() throws IOException {
		CountStore store = new CountStore(this.directory.resolve("counts.json"));
		Snapshot snapshot = new Snapshot(Map.of("app1", new Snapshot.ServiceState(52, "2026-11-29 12:00:00")), 3,
				List.of("m-1", "m-2"), "amq.ctag-1",
				List.of(new Snapshot.PinnedIds("2026-11-29T12:02:00Z", List.of("m-0"))));

		store.save(snapshot);

		assertThat(new CountStore(this.directory.resolve("counts.json")).load()).isEqualTo(snapshot);
	}

	@Test
	void replacesTheFileWholeAndLeavesNoTemporaryFileBehind() throws IOException {
		CountStore store = new CountStore(this.directory.resolve("counts.json"));
		store.save(new Snapshot(Map.of("app1", new Snapshot.ServiceState(1, null)), 0, List.of(), null, List.of()));
		store.save(new Snapshot(Map.of("app1", new Snapshot.ServiceState(2, null)), 0, List.of(), null, List.of()));

		assertThat(store.load().services().get("app1").count()).isEqualTo(2);
		try (var files = Files.list(this.directory)) {
			assertThat(files.map(path -> path.getFileName().toString())).containsExactly("counts.json");
		}
	}

}
