package dev.jwq.bench.loadcost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load cost of jwq (issue 11): resident memory ({@code VmRSS}) and native memory committed
 * (NMT summary, read with {@code jcmd}) of a JVM that does nothing ({@code bare}), that creates
 * one workqueue and runs one item ({@code one}), and that creates 200 and runs one item on each
 * ({@code many}); one fresh JVM per run ({@link LoadCostScenario}), the scenarios interleaved
 * over the rounds, medians printed with the cost over {@code bare}, and the NMT categories that
 * grew most, which say what loaded.
 *
 * <p>Usage: {@code LoadCostBenchmark [--runs N] [--jvm "<flags for the children>"]}; the
 * children use this JVM and this class path.
 */
public final class LoadCostBenchmark {
    static final List<String> SCENARIOS = List.of("bare", "one", "many");
    /** Flags every child gets: NMT, and what a jwq application is run with (bench/run.sh's). */
    static final List<String> BASE_FLAGS = List.of("-XX:NativeMemoryTracking=summary",
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED");
    static final long CHILD_TIMEOUT_S = 120;
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    /** One child's figures, KiB: {@code rss}, {@code nmt}, {@code threads} and {@code nmt:<category>}. */
    record Run(Map<String, Long> figures) {}

    private LoadCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = 3;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm" -> extra.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                default -> throw new IllegalArgumentException("usage: LoadCostBenchmark [--runs N] [--jvm \"<flags>\"]");
            }
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        SCENARIOS.forEach(s -> results.put(s, new ArrayList<>()));
        for (int round = 0; round < runs; round++) {
            for (String scenario : SCENARIOS) { // interleaved: a drift of the machine hits every scenario
                Run r = runChild(scenario, extra);
                results.get(scenario).add(r);
                System.err.printf("round %d %-5s rss %,d KiB  nmt %,d KiB  threads %d%n", round + 1, scenario,
                        r.figures.get("rss"), r.figures.get("nmt"), r.figures.get("threads"));
            }
        }
        report(results, runs, extra);
    }

    private static void report(Map<String, List<Run>> results, int runs, List<String> extra) {
        Map<String, Map<String, Long>> medians = new LinkedHashMap<>();
        results.forEach((s, list) -> medians.put(s, medians(list)));
        Map<String, Long> bare = medians.get("bare");
        System.out.printf("load cost, medians of %d JVMs per scenario (flags: %s)%n%n", runs,
                String.join(" ", concat(BASE_FLAGS, extra)));
        System.out.println("| scenario | VmRSS MiB | over bare | NMT committed MiB | over bare | heap used MiB | over bare | platform threads |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        medians.forEach((s, m) -> System.out.printf("| %s | %.1f | %+.1f | %.1f | %+.1f | %.1f | %+.1f | %d |%n", s,
                mib(m.get("rss")), mib(m.get("rss") - bare.get("rss")),
                mib(m.get("nmt")), mib(m.get("nmt") - bare.get("nmt")),
                mib(m.get("heapUsed")), mib(m.get("heapUsed") - bare.get("heapUsed")), m.get("threads")));
        System.out.println();
        System.out.println("NMT categories that grew most over bare (committed, MiB):");
        for (String s : SCENARIOS.subList(1, SCENARIOS.size())) {
            Map<String, Long> m = medians.get(s);
            StringBuilder sb = new StringBuilder("  " + s + ":");
            m.entrySet().stream().filter(e -> e.getKey().startsWith("nmt:"))
                    .map(e -> Map.entry(e.getKey().substring(4), e.getValue() - bare.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() >= 256)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> sb.append(String.format(" %s %+.1f", e.getKey(), mib(e.getValue()))));
            System.out.println(sb);
        }
    }

    /** Starts the scenario's JVM, reads what it prints up to "ready", asks jcmd for its NMT summary, lets it exit. */
    private static Run runChild(String scenario, List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(concat(BASE_FLAGS, extra));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadCostScenario.class.getName(), scenario));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // A child that hangs is killed, so the harness never waits unbounded.
        Thread killer = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        Map<String, Long> figures = new TreeMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
            String[] kv = line.split(" ");
            if (kv.length == 2) {
                figures.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        if (!figures.containsKey("rss")) {
            p.destroyForcibly();
            throw new IllegalStateException(scenario + ": the child printed no figures (exit " + p.waitFor() + ")");
        }
        nmt(p.pid(), figures);
        try (OutputStream in = p.getOutputStream()) {
            in.write('\n');
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(scenario + ": the child exited with " + p.exitValue());
        }
        killer.interrupt();
        return new Run(figures);
    }

    /** Adds {@code nmt} (total committed) and {@code nmt:<category>} of {@code pid}'s NMT summary, KiB. */
    private static void nmt(long pid, Map<String, Long> figures) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process j = new ProcessBuilder(jcmd, String.valueOf(pid), "VM.native_memory", "summary")
                .redirectErrorStream(true).start();
        String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IllegalStateException("jcmd failed:\n" + text);
        }
        for (String line : text.lines().map(String::trim).toList()) {
            Matcher t = TOTAL.matcher(line);
            if (t.find()) {
                figures.put("nmt", Long.parseLong(t.group(2)));
            }
            Matcher c = CATEGORY.matcher(line);
            if (c.find()) {
                figures.put("nmt:" + c.group(1).trim(), Long.parseLong(c.group(3)));
            }
        }
        if (!figures.containsKey("nmt")) {
            throw new IllegalStateException("no NMT total in jcmd's answer:\n" + text);
        }
    }

    /** The median of each figure over {@code runs} (the middle one, or the lower middle of an even count). */
    private static Map<String, Long> medians(List<Run> runs) {
        Map<String, Long> m = new TreeMap<>();
        runs.get(0).figures.keySet().forEach(key -> {
            long[] v = runs.stream().mapToLong(r -> r.figures.getOrDefault(key, 0L)).sorted().toArray();
            m.put(key, v[(v.length - 1) / 2]);
        });
        return m;
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
