package dev.jwq.bench.cpusleep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Command-line options of {@link CpuSleepBenchmark}.
 *
 * @param items       items per measured run
 * @param warmups     unmeasured rounds (each executor once per submitter count) before the measured ones
 * @param warmupItems items per warm-up run
 * @param runs        measured rounds
 * @param cpuMicros   CPU burnt by each item
 * @param sleepMicros sleep of each item, after its burn
 * @param submitters  submitter thread counts, each a scenario of its own
 * @param executors   what to compare, in this order
 * @param json        a file each measured run is appended to as one JSON line, or null
 */
record Options(int items, int warmups, int warmupItems, int runs, long cpuMicros, long sleepMicros,
               List<Integer> submitters, List<Executor> executors, String json) {
    static final String USAGE = """
            usage: CpuSleepBenchmark [--short] [--items N] [--warmups N] [--warmup-items N] [--runs N]
                                     [--cpu-us N] [--sleep-us N] [--submitters 1,ncpu] [--executors a,b,...]
                                     [--json FILE]
              defaults: 10000 items of 1000 us CPU + 4000 us sleep, submitted from 1 and from ncpu
                        threads, the default executors, 1 warm-up round (as many items) + 3 measured
                        rounds (each round runs every executor once per submitter count, in turn);
              --short:  1000 items, no warm-up, 1 round (a smoke run; later options still apply)
              --json:   appends every measured run to FILE, one JSON object a line
              executors (* = default): """
            + Arrays.stream(Executor.values()).map(e -> e.label + (e.byDefault ? "*" : "")).toList();

    Options {
        positive("--items", items);
        if (warmups < 0) {
            throw new IllegalArgumentException("--warmups must be 0 or more, was " + warmups);
        }
        positive("--warmup-items", warmupItems);
        positive("--runs", runs);
        positive("--cpu-us", cpuMicros);
        if (sleepMicros < 0) {
            throw new IllegalArgumentException("--sleep-us must be 0 or more, was " + sleepMicros);
        }
        if (submitters.isEmpty()) {
            throw new IllegalArgumentException("--submitters names none");
        }
        submitters.forEach(n -> positive("--submitters", n));
        if (executors.isEmpty()) {
            throw new IllegalArgumentException("--executors names none");
        }
        submitters = List.copyOf(submitters);
        executors = List.copyOf(executors);
    }

    static Options parse(String... args) {
        int items = 10_000, warmups = 1, runs = 3;
        Integer warmupItems = null;
        long cpu = 1_000, sleep = 4_000;
        int ncpu = Runtime.getRuntime().availableProcessors();
        List<Integer> submitters = ncpu == 1 ? List.of(1) : List.of(1, ncpu);
        List<Executor> executors = Arrays.stream(Executor.values()).filter(e -> e.byDefault).toList();
        String json = null;
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
                case "--warmup-items" -> warmupItems = intValue(a, value(args, ++i, a));
                case "--runs" -> runs = intValue(a, value(args, ++i, a));
                case "--cpu-us" -> cpu = intValue(a, value(args, ++i, a));
                case "--sleep-us" -> sleep = intValue(a, value(args, ++i, a));
                case "--submitters" -> {
                    submitters = new ArrayList<>();
                    for (String n : value(args, ++i, a).split(",")) {
                        submitters.add(n.trim().toLowerCase(Locale.ROOT).equals("ncpu") ? ncpu : intValue(a, n));
                    }
                }
                case "--executors" -> {
                    executors = new ArrayList<>();
                    for (String name : value(args, ++i, a).split(",")) {
                        executors.add(Executor.byLabel(name));
                    }
                }
                case "--json" -> json = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        return new Options(items, warmups, warmupItems == null ? items : warmupItems, runs, cpu, sleep,
                submitters, executors, json);
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
