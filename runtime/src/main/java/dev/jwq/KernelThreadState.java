package dev.jwq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * Whether the thread of {@code syscallFile} is blocked in a system call other than futex:
     * the file then starts with the call's number; it says {@code running} when the thread runs
     * or waits for a CPU. False when nothing can be read.
     */
    static boolean blockedInNativeCall(Path syscallFile) {
        if (syscallFile == null) {
            return false;
        }
        try {
            String s = new String(Files.readAllBytes(syscallFile), StandardCharsets.US_ASCII);
            int end = s.indexOf(' ');
            if (end <= 0) {
                return false; // "running", or a thread that has exited
            }
            int nr = Integer.parseInt(s, 0, end, 10);
            return nr >= 0 && nr != FUTEX;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
