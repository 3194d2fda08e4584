package dev.jwq.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figures from Linux's {@code /proc/<pid>/status}: resident memory now ({@code VmRSS}) and at
 * its peak ({@code VmHWM}), and the OS threads of the process ({@code Threads}, which also
 * counts the JVM's own GC and compiler threads).
 */
public record ProcStatus(long rssKb, long hwmKb, int osThreads) {

    /** This process's figures. */
    public static ProcStatus self() {
        return of("self");
    }

    /** The figures of process {@code pid} ("self" for this one). */
    public static ProcStatus of(String pid) {
        Path file = Path.of("/proc", pid, "status");
        try {
            long rss = -1, hwm = -1;
            int threads = -1;
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
            if (rss < 0 || hwm < 0 || threads < 0) {
                throw new IllegalStateException(file + " has no VmRSS, VmHWM or Threads line (not Linux?)");
            }
            return new ProcStatus(rss, hwm, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (the samples measure memory on Linux only)", e);
        }
    }

    /** "VmRSS:	   41236 kB" -> 41236. */
    private static long kb(String line) {
        String v = line.substring(line.indexOf(':') + 1).trim();
        return Long.parseLong(v.substring(0, v.indexOf(' ')));
    }
}
