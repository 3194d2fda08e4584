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

    /**
     * The CPU time the kernel has counted for the thread of {@code syscallFile}, in nanoseconds,
     * from its sibling {@code schedstat} (the first field, {@code sum_exec_runtime}), or -1 where
     * it cannot be read. Not the JVM's clock: asking the JVM for another thread's CPU time makes
     * the ThreadMXBean, and {@code ManagementFactory} then looks for MXBean providers through
     * every jar on the class path (30-40 ms and 80 classes on the first busy carrier of a small
     * program under the agent). The kernel updates the figure at its ticks and switches, so it
     * may lag a running thread by a tick: callers use it only to skip a syscall read when a
     * thread plainly computed.
     */
    static long cpuNanos(Path syscallFile) {
        if (syscallFile == null) {
            return -1;
        }
        ByteBuffer buf = ByteBuffer.allocate(64); // "<runtime ns> <wait ns> <timeslices>"
        try (FileChannel ch = FileChannel.open(syscallFile.resolveSibling("schedstat"), StandardOpenOption.READ)) {
            int n = ch.read(buf, 0);
            long ns = 0;
            int digits = 0;
            for (int i = 0; i < n && digits < 19; i++, digits++) {
                byte b = buf.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                ns = ns * 10 + (b - '0');
            }
            return digits > 0 ? ns : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // the thread has exited, or procfs is not readable
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
