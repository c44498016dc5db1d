package dev.registro.reporte.counting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import tools.jackson.databind.json.JsonMapper;

/**
 * The counts on disk, one JSON file replaced whole: written to a temporary file, forced
 * to disk, renamed over the old one, and the directory forced, so that after a crash the
 * file is either the old snapshot or the new one, never a mix.
 */
class CountStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path file;

	private final Path temporary;

	CountStore(Path file) throws IOException {
		this.file = file.toAbsolutePath();
		this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		Files.createDirectories(this.file.getParent());
	}

	Path file() {
		return this.file;
	}

	/** The last snapshot saved, or {@link Snapshot#EMPTY} when there is none yet. */
	Snapshot load() throws IOException {
		if (!Files.exists(this.file)) {
			return Snapshot.EMPTY;
		}
		return JSON.readValue(Files.readAllBytes(this.file), Snapshot.class);
	}

	void save(Snapshot snapshot) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(snapshot));
		try (FileChannel out = FileChannel.open(this.temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			while (bytes.hasRemaining()) {
				out.write(bytes);
			}
			out.force(true);
		}
		try {
			Files.move(this.temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new IOException("the snapshot's directory cannot replace files atomically: " + this.file.getParent(),
					ex);
		}
		try (FileChannel directory = FileChannel.open(this.file.getParent(), StandardOpenOption.READ)) {
			directory.force(true);
		}
	}

}
