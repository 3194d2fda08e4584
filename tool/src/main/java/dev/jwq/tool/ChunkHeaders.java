package dev.jwq.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the headers of a JFR file's chunks (magic {@code FLR\0}, then big-endian: version,
 * chunk size at 8, start time in epoch nanoseconds at 32, duration at 40) to tell a JFR file
 * from anything else before parsing it, and the time span it covers for the progress line.
 */
final class ChunkHeaders {
    private static final int HEADER = 48;

    /** Epoch nanoseconds of the first chunk's start and of the last chunk's end. */
    record Span(long startNanos, long endNanos) {
        double fraction(long epochNanos) {
            return endNanos <= startNanos ? 0 : (double) (epochNanos - startNanos) / (endNanos - startNanos);
        }
    }

    private ChunkHeaders() {
    }

    /** The recording's span, or {@code null} if {@code file} does not start with a JFR chunk. */
    static Span read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            ByteBuffer b = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                b.clear();
                while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
                    // read the whole header
                }
                if (b.hasRemaining() || b.getInt(0) != 0x464C5200) { // "FLR\0"
                    break;
                }
                long chunkSize = b.getLong(8);
                start = Math.min(start, b.getLong(32));
                end = Math.max(end, b.getLong(32) + b.getLong(40));
                if (chunkSize <= 0) {
                    break;
                }
                pos += chunkSize;
            }
            return start == Long.MAX_VALUE ? null : new Span(start, end);
        }
    }
}
