package dev.jwq.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about the calling thread, read back from /proc/thread-self (test helper). */
public final class ThreadStatus {
    private ThreadStatus() {}

    /** {@code Cpus_allowed_list} of the calling thread, e.g. {@code 0-1}. */
    public static String allowedList() {
        return field(Path.of("/proc/thread-self/status"), "Cpus_allowed_list:");
    }

    /** {@code Cpus_allowed_list} of the process's main thread. */
    public static String processAllowedList() {
        return field(Path.of("/proc/self/status"), "Cpus_allowed_list:");
    }

    /** The calling thread's nice value (field 19 of /proc/thread-self/stat). */
    public static int nice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Field 2, the command, is in parentheses and may hold spaces: count from after it.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(rest[19 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calling thread's Linux id: the last name of /proc/thread-self's target (.../task/tid). */
    public static int tid() {
        try {
            return Integer.parseInt(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calling thread's timer slack in nanoseconds, as /proc/tid/timerslack_ns says (Linux 4.6+). */
    public static long timerSlackNanos() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/" + tid() + "/timerslack_ns")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether /proc/thread-self can be read here (Linux 3.17+). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/thread-self/status"));
    }

    private static String field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return line.substring(name.length()).trim();
                }
            }
            throw new IllegalStateException(file + " has no " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
