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
	void readsBackWhatItSaved() throws IOException {
		CountStore store = new CountStore(this.directory.resolve("counts.json"));
		Snapshot snapshot = new Snapshot(Map.of("app1", new Snapshot.ServiceState(52, "2026-11-29 12:00:00")), 3,
				List.of("m-1", "m-2"));

		store.save(snapshot);

		assertThat(new CountStore(this.directory.resolve("counts.json")).load()).isEqualTo(snapshot);
	}

	@Test
	void replacesTheFileWholeAndLeavesNoTemporaryFileBehind() throws IOException {
		CountStore store = new CountStore(this.directory.resolve("counts.json"));
		store.save(new Snapshot(Map.of("app1", new Snapshot.ServiceState(1, null)), 0, List.of()));
		store.save(new Snapshot(Map.of("app1", new Snapshot.ServiceState(2, null)), 0, List.of()));

		assertThat(store.load().services().get("app1").count()).isEqualTo(2);
		try (var files = Files.list(this.directory)) {
			assertThat(files.map(path -> path.getFileName().toString())).containsExactly("counts.json");
		}
	}

}
