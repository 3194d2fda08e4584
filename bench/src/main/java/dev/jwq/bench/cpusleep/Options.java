package dev.jwq.bench.cpusleep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link CpuSleepBenchmark}.
 *
 * @param items      items per run
 * @param warmups    unmeasured rounds (each executor once) before the measured ones
 * @param runs       measured rounds (each executor once)
 * @param cpuMicros  CPU burnt by each item
 * @param sleepMicros sleep of each item, after its burn
 * @param executors  what to compare, in this order
 */
record Options(int items, int warmups, int runs, long cpuMicros, long sleepMicros, List<Executor> executors) {
    static final String USAGE = """
            usage: CpuSleepBenchmark [--short] [--items N] [--warmups N] [--runs N]
                                     [--cpu-us N] [--sleep-us N] [--executors a,b,...]
              defaults: 10000 items of 1000 us CPU + 4000 us sleep, every executor, 1 warm-up
                        round + 3 measured rounds (each round runs every executor once, in turn);
              --short:  1000 items, no warm-up, 1 round (a smoke run; later options still apply)
              executors: """ + Arrays.stream(Executor.values()).map(e -> e.label).toList();

    Options {
        positive("--items", items);
        if (warmups < 0) {
            throw new IllegalArgumentException("--warmups must be 0 or more, was " + warmups);
        }
        positive("--runs", runs);
        positive("--cpu-us", cpuMicros);
        if (sleepMicros < 0) {
            throw new IllegalArgumentException("--sleep-us must be 0 or more, was " + sleepMicros);
        }
        if (executors.isEmpty()) {
            throw new IllegalArgumentException("--executors names none");
        }
        executors = List.copyOf(executors);
    }

    static Options parse(String... args) {
        int items = 10_000, warmups = 1, runs = 3;
        long cpu = 1_000, sleep = 4_000;
        List<Executor> executors = List.of(Executor.values());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--short" -> {
                    items = 1_000;
                    warmups = 0;
                    runs = 1;
                }
                case "--items" -> items = intValue(a, value(args, ++i, a));
                case "--warmups" -> warmups = intValue(a, value(args, ++i, a));
                case "--runs" -> runs = intValue(a, value(args, ++i, a));
                case "--cpu-us" -> cpu = intValue(a, value(args, ++i, a));
                case "--sleep-us" -> sleep = intValue(a, value(args, ++i, a));
                case "--executors" -> {
                    executors = new ArrayList<>();
                    for (String name : value(args, ++i, a).split(",")) {
                        executors.add(Executor.byLabel(name));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        return new Options(items, warmups, runs, cpu, sleep, executors);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + v + "'");
        }
    }

    private static void positive(String option, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + v);
        }
    }
}
