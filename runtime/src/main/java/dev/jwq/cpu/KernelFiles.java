package dev.jwq.cpu;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's small text files ({@code /proc}, {@code /sys}) and the calling thread's
 * {@code /proc} directory, through {@code java.io}. Internal.
 *
 * <p>Why not {@code java.nio.file}: the first workqueue of a process reads these files, and a
 * process's first NIO file access loads libnio and libnet and about eighty classes (5.7-6.8 ms
 * against 1.4-1.5 ms for a {@code FileInputStream} in a micro-harness,
 * {@code bench/results/s1206/ab-s32/NioT.java.txt}; 1-4 ms of the first rewritten executor's
 * creation under the agent, {@code ab-s33/command.txt}); {@code java.io} is up in every JVM.
 */
public final class KernelFiles {
    private KernelFiles() {}

    /**
     * The whole text of {@code file}, trimmed, or null when it cannot be read (missing, not a
     * file, no permission). The kernel's files are ASCII; bytes are taken as Latin-1, which needs
     * no decoder.
     */
    public static String read(File file) {
        try (FileInputStream in = new FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The calling thread's timer slack in nanoseconds ({@code /proc/<tid>/timerslack_ns}, Linux
     * 4.6+; a thread may read its own): how late the kernel may end its timed waits, to batch
     * wake-ups (50 us unless set otherwise); 0 where it cannot be read.
     */
    public static long timerSlackNanos() {
        File self = threadSelf();
        String text = self == null ? null : read(new File("/proc/" + self.getName() + "/timerslack_ns"));
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The calling thread's {@code /proc/<pid>/task/<tid>} directory, or null where there is
     * none: {@code /proc/thread-self} is a link to {@code <pid>/task/<tid>}, resolved here so
     * that the result names this thread for good (its name is the thread id).
     */
    public static File threadSelf() {
        try {
            File self = new File("/proc/thread-self").getCanonicalFile();
            return self.getPath().equals("/proc/thread-self") ? null : self;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
