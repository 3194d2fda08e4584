package dev.jwq.samples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time this process has used, from Linux's {@code /proc/self/stat}, and the part of it its
 * JIT compiler threads used ({@code /proc/self/task/<tid>/stat} of the threads named
 * {@code C1 CompilerThre...} and {@code C2 CompilerThre...}): what a short run spends compiling
 * is CPU its requests do not get on a machine of few CPUs. Milliseconds, at the kernel's clock
 * tick (10 ms on Linux); -1 where {@code /proc} cannot be read (not Linux).
 *
 * <p>The compilers' figure counts the compiler threads alive when read: HotSpot retires idle
 * compiler threads it added ({@code UseDynamicNumberOfCompilerThreads}), and a retired thread's
 * time leaves the sum, so a difference of two readings is at least what the survivors used.
 */
public record CpuTimes(long processMillis, long compilerMillis) {

    /** Milliseconds per clock tick: Linux's {@code USER_HZ} is 100 on every architecture it exports to user space. */
    private static final long MILLIS_PER_TICK = 10;

    /** This process's CPU times now. */
    public static CpuTimes self() {
        try {
            long process = ticks(Files.readString(Path.of("/proc/self/stat")));
            long compilers = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException gone) {
                        continue; // the thread ended while we listed them
                    }
                    String name = name(stat);
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        compilers += ticks(stat);
                    }
                }
            }
            return new CpuTimes(process * MILLIS_PER_TICK, compilers * MILLIS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return new CpuTimes(-1, -1);
        }
    }

    /** What was used since {@code before}, or -1 figures when either reading is unknown. */
    public CpuTimes since(CpuTimes before) {
        if (processMillis < 0 || before.processMillis < 0) {
            return new CpuTimes(-1, -1);
        }
        return new CpuTimes(processMillis - before.processMillis, Math.max(0, compilerMillis - before.compilerMillis));
    }

    /** The process's CPU time per one of {@code n} requests, in microseconds, or -1 when unknown. */
    public long processMicrosPer(int n) {
        return processMillis < 0 ? -1 : processMillis * 1000 / n;
    }

    /**
     * User plus system time, in ticks, of a {@code stat} line: fields 14 and 15, counted after the
     * name's closing parenthesis, since the name itself may hold spaces and parentheses.
     */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** The thread's name: field 2, between the first '(' and the last ')'. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }
}
