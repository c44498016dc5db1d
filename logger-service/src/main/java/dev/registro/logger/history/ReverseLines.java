package dev.registro.logger.history;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads the complete lines of a file from its end towards its start, a block at a time,
 * so that the newest lines of any file cost the same whatever its size. Bytes after the
 * last newline (a line still being written) are not a line yet and are skipped.
 */
final class ReverseLines {

	static final int BLOCK = 64 * 1024;

	private static final byte[] NONE = new byte[0];

	/** Receives lines, newest first; answers whether to go on. */
	@FunctionalInterface
	interface Visitor {

		boolean visit(byte[] line) throws IOException;

	}

	private ReverseLines() {
	}

	/** Visits the complete lines in {@code [0, end)} of the channel, last first. */
	static void read(FileChannel channel, long end, Visitor visitor) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
		byte[] carry = NONE;
		boolean tail = true;
		long position = end;
		while (position > 0) {
			int length = (int) Math.min(BLOCK, position);
			position -= length;
			buffer.clear().limit(length);
			readFully(channel, buffer, position);
			byte[] block = buffer.array();
			int lineEnd = length;
			for (int i = length - 1; i >= 0; i--) {
				if (block[i] != '\n') {
					continue;
				}
				byte[] line = join(block, i + 1, lineEnd, carry);
				carry = NONE;
				lineEnd = i;
				if (tail) {
					tail = false;
				}
				else if (line.length > 0 && !visitor.visit(line)) {
					return;
				}
			}
			carry = join(block, 0, lineEnd, carry);
		}
		if (!tail && carry.length > 0) {
			visitor.visit(carry);
		}
	}

	/**
	 * The offset just past the last newline in {@code [0, size)}: where complete lines
	 * end.
	 */
	static long endOfLastLine(FileChannel channel, long size) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
		long position = size;
		while (position > 0) {
			int length = (int) Math.min(BLOCK, position);
			position -= length;
			buffer.clear().limit(length);
			readFully(channel, buffer, position);
			for (int i = length - 1; i >= 0; i--) {
				if (buffer.get(i) == '\n') {
					return position + i + 1;
				}
			}
		}
		return 0;
	}

	private static byte[] join(byte[] block, int from, int to, byte[] carry) {
		byte[] line = Arrays.copyOfRange(block, from, to + carry.length);
		System.arraycopy(carry, 0, line, to - from, carry.length);
		return line;
	}

	private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, at);
			if (read < 0) {
				throw new EOFException("file shrank while being read");
			}
			at += read;
		}
	}

}
