package dev.jwq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's view of a worker thread, from {@code /proc/self/task/<tid>/syscall}: a thread the
 * JVM shows RUNNABLE may be blocked in a system call made by native code (a socket read, accept,
 * poll), which only the kernel can tell. A futex wait is left out: a RUNNABLE thread waits on a
 * futex inside the JVM itself (a safepoint, a garbage collection), which is no blocking of the
 * item's. Linux on x86-64 and AArch64 only; elsewhere nothing is known and nothing is claimed.
 */
final class KernelThreadState {
    /** futex(2)'s number, by architecture; -1 where unknown (and then no claim is made). */
    private static final int FUTEX = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };

    private KernelThreadState() {}

    /** The syscall file of the calling thread ({@code /proc/thread-self} resolved), or null where there is none. */
    static Path syscallFileOfCurrentThread() {
        if (FUTEX < 0) {
            return null;
        }
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            return Path.of("/proc").resolve(self).resolve("syscall");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Reads one thread's syscall file again and again without allocating: the file stays open
     * and is read from offset 0 into one small buffer each time (procfs makes the text anew on
     * every read from the start; the syscall number is all we need of it). One thread uses a
     * reader at a time; it closes it when the thread is gone.
     */
    static final class Reader {
        /** The number and a little more: "202 0x..." or "running". */
        private final ByteBuffer buf = ByteBuffer.allocateDirect(32);
        private final Path file;
        private FileChannel channel;
        private boolean failed;

        Reader(Path file) {
            this.file = file;
            this.failed = file == null;
        }

        /**
         * Whether the thread is blocked in a system call other than futex: the file then starts
         * with the call's number; it says {@code running} when the thread runs or waits for a
         * CPU. False when nothing can be read.
         */
        boolean blockedInNativeCall() {
            if (failed) {
                return false;
            }
            try {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                }
                buf.clear();
                int n = channel.read(buf, 0);
                int nr = 0;
                int digits = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b >= '0' && b <= '9' && digits < 9) {
                        nr = nr * 10 + (b - '0');
                        digits++;
                    } else {
                        break;
                    }
                }
                return digits > 0 && nr != FUTEX; // "running" (no digits), or a thread that has exited
            } catch (IOException | RuntimeException e) {
                failed = true; // the thread has exited, or procfs is not readable: claim nothing
                close();
                return false;
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do: the reader is done either way
                }
                channel = null;
            }
        }
    }

    /** One read of {@code syscallFile} (allocates a channel; for occasional callers). */
    static boolean blockedInNativeCall(Path syscallFile) {
        Reader r = new Reader(syscallFile);
        try {
            return r.blockedInNativeCall();
        } finally {
            r.close();
        }
    }
}
