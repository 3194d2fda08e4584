package dev.jwq;

import dev.jwq.cpu.KernelFiles;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's view of a worker thread, from {@code /proc/self/task/<tid>/syscall}: a thread the
 * JVM shows RUNNABLE may be blocked in a system call made by native code (a socket read, accept,
 * poll), which only the kernel can tell. A futex wait is left out: a RUNNABLE thread waits on a
 * futex inside the JVM itself (a safepoint, a garbage collection), which is no blocking of the
 * item's. Linux on x86-64 and AArch64 only; elsewhere nothing is known and nothing is claimed.
 *
 * <p>A carrier's or worker's start resolves its file through {@code java.io}, which keeps NIO
 * off the first workqueue's path (see {@link dev.jwq.cpu.KernelFiles}); the sampler's reads,
 * later and many, go through a {@link FileChannel}: one {@code pread} each, where
 * {@code java.io} needs a seek and a read (1.95 against 2.35 us a read here, 2026-12-06).
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
    static File syscallFileOfCurrentThread() {
        if (FUTEX < 0) {
            return null;
        }
        File self = KernelFiles.threadSelf();
        return self == null ? null : new File(self, "syscall");
    }

    /**
     * Reads one thread's syscall file again and again without allocating: the file stays open
     * and is read from offset 0 into one small buffer each time (procfs makes the text anew on
     * every read from the start; the syscall number is all we need of it). One thread uses a
     * reader at a time; it closes it when the thread is gone.
     */
    static final class Reader {
        private final File file;
        /** With the channel, on the first read: the number and a little more ("202 0x..." or "running"). */
        private ByteBuffer buf;
        private FileChannel in;
        private boolean failed;

        Reader(File file) {
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
                if (in == null) {
                    in = FileChannel.open(file.toPath(), StandardOpenOption.READ);
                    buf = ByteBuffer.allocateDirect(32);
                }
                buf.clear();
                int n = in.read(buf, 0);
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
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing to do: the reader is done either way
                }
                in = null;
            }
        }
    }

    /** One read of {@code syscallFile} (opens a channel each time; for occasional callers). */
    static boolean blockedInNativeCall(File syscallFile) {
        Reader r = new Reader(syscallFile);
        try {
            return r.blockedInNativeCall();
        } finally {
            r.close();
        }
    }
}
