package dev.jwq.bench.cpusleep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The CPU numbers this process may run on, as jwq's per-CPU workqueues know them: from
 * {@code Cpus_allowed_list} in {@code /proc/self/status} (honours taskset and cpusets), else
 * 0 .. availableProcessors-1. jwq does not publish its list, and {@code queueOn} takes CPU
 * numbers, not indexes.
 */
final class UsableCpus {
    private UsableCpus() {}

    static int[] read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parse(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: fall back below.
        }
        return IntStream.range(0, Runtime.getRuntime().availableProcessors()).toArray();
    }

    /** Parses a Linux CPU list such as {@code 0-3,8,10-11}. */
    static int[] parse(String list) {
        IntStream cpus = IntStream.empty();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            IntStream range = dash < 0
                    ? IntStream.of(Integer.parseInt(p))
                    : IntStream.rangeClosed(Integer.parseInt(p.substring(0, dash)), Integer.parseInt(p.substring(dash + 1)));
            cpus = IntStream.concat(cpus, range);
        }
        int[] all = cpus.sorted().distinct().toArray();
        if (all.length == 0) {
            throw new IllegalArgumentException("empty CPU list: '" + list + "'");
        }
        return all;
    }
}
