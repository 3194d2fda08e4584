package dev.jwq.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Resident kB of this process's Java heap, from {@code /proc/self/smaps}: the one run of
     * adjacent mappings that spans exactly the heap's ceiling ({@code Runtime.maxMemory()}, which
     * G1 reserves in one piece; the class-data-sharing archive's heap objects mapped at its top
     * split it into several mappings) with no mapping adjacent on either side, or -1 when
     * there is not exactly one such run (another collector, another layout). The rest of the resident memory (thread stacks, code,
     * metaspace, the collector's and the recorder's native memory) is the difference.
     */
    public static long heapRssKb() {
        long heapBytes = Runtime.getRuntime().maxMemory();
        Path file = Path.of("/proc/self/smaps");
        List<long[]> maps = new ArrayList<>(); // start, end, Rss kB
        try {
            for (String line : Files.readAllLines(file)) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash > 0 && space > dash && isHex(line, 0, dash) && isHex(line, dash + 1, space)) {
                    maps.add(new long[] {Long.parseUnsignedLong(line, 0, dash, 16),
                            Long.parseUnsignedLong(line, dash + 1, space, 16), 0});
                } else if (line.startsWith("Rss:") && !maps.isEmpty()) {
                    maps.get(maps.size() - 1)[2] = kb(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (the samples measure memory on Linux only)", e);
        }
        // A run is bounded by gaps on both sides: malloc's arenas, also adjacent reservations,
        // make runs of every multiple of 64 MB inside longer chains.
        long rss = -1;
        int runs = 0;
        for (int i = 0; i < maps.size(); i++) {
            if (i > 0 && maps.get(i)[0] == maps.get(i - 1)[1]) {
                continue;
            }
            long sum = 0;
            for (int j = i; j < maps.size() && (j == i || maps.get(j)[0] == maps.get(j - 1)[1]); j++) {
                sum += maps.get(j)[2];
                long span = maps.get(j)[1] - maps.get(i)[0];
                boolean gapAfter = j + 1 == maps.size() || maps.get(j + 1)[0] != maps.get(j)[1];
                if (span == heapBytes && gapAfter) {
                    rss = sum;
                    runs++;
                }
                if (span >= heapBytes) {
                    break;
                }
            }
        }
        return runs == 1 ? rss : -1;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return to > from;
    }

    /** "VmRSS:	   41236 kB" -> 41236. */
    private static long kb(String line) {
        String v = line.substring(line.indexOf(':') + 1).trim();
        return Long.parseLong(v.substring(0, v.indexOf(' ')));
    }
}
