package dev.jwq.samples;

import dev.jwq.samples.sprawl.SprawlApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The flagship demo: the same service, built from a dozen libraries that each create their own
 * executors ({@link SprawlApp}), runs twice in child JVMs, one after the other, under the same
 * load against the same upstream service (served from this process): once on plain JDK pools,
 * once on jwq. It prints one table side by side (live threads at the peak, resident memory,
 * throughput, latency) and exits non-zero unless both runs served every request correctly and
 * lost no work, and the jwq run needed at least a quarter fewer threads.
 *
 * <p>Both runs record JFR ({@code target/sprawl-jdk.jfr}, {@code target/sprawl-jwq.jfr}) with
 * the same settings, so that they carry the same recorder; only the jwq run has jwq events to
 * record, and what they cost is in its column (measured: about 0.4 KB of heap per request, a
 * tenth of what that run allocates; the recorder's native buffers are the same in both). The
 * jwq one is the recording to open. {@code --no-recording} runs both without one, to see what
 * the recordings cost.
 *
 * <p>Arguments: {@code --short} (a quick run, for CI), {@code --out DIR} (where recordings go,
 * default {@code target}), {@code --no-recording}.
 */
public final class Sprawl {
    /** JVM options of both runs: the same heap ceiling, so that memory compares. */
    private static final List<String> COMMON = List.of("-Xmx256m", "-XX:+UseG1GC");
    /** The baseline: the app's executors are java.util.concurrent's. */
    private static final List<String> JDK_RUN = List.of("-Dsprawl.executors=jdk");
    /**
     * The jwq run: the unchanged app (its executors are java.util.concurrent's) under the jwq
     * agent, which rewrites their creation onto jwq. The agent jar is the build's
     * ({@code -Dsprawl.agentJar}, set by the samples pom; by default the one next to samples/).
     */
    private static final List<String> JWQ_RUN = List.of("-javaagent:" + agentJar(), "-Dsprawl.executors=jdk");

    /** The agent jar: {@code -Dsprawl.agentJar}, else the build's, found from where this class was loaded (samples/target/classes). */
    private static String agentJar() {
        String given = System.getProperty("sprawl.agentJar");
        if (given != null) {
            return given;
        }
        try {
            Path classes = Path.of(Sprawl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().getParent().resolve("agent/target/jwq-agent.jar").toString();
        } catch (Exception e) {
            return "../agent/target/jwq-agent.jar";
        }
    }

    /** jwq.jfc from the runtime on the class path, copied next to the recordings (JFR wants a file). */
    private static Path jfc(Path out) throws IOException {
        Path file = out.resolve("jwq.jfc");
        try (var in = Sprawl.class.getResourceAsStream("/dev/jwq/jwq.jfc")) {
            if (in == null) {
                throw new IOException("dev/jwq/jwq.jfc is not on the class path");
            }
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private Sprawl() {}

    private record Run(String label, String key, List<String> jvmOptions) {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean record = true;
        Path out = Path.of("target");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> quick = true;
                case "--no-recording" -> record = false;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --short, --out DIR, --no-recording)");
            }
        }
        Files.createDirectories(out);
        List<String> load = quick ? List.of("--warmup", "500", "--requests", "2000")
                : List.of("--warmup", "3000", "--requests", "12000");

        System.out.println("""
                sprawl: a service built from a dozen libraries (web server, HTTP client, database pool, cache,
                event bus, metrics, tracing, job scheduler, ...), each creating executors of its own, serves
                orders under a steady load (CPU work, a loopback HTTP call, a database wait). It runs twice,
                in two JVMs: with plain JDK thread pools, then with jwq.
                """);
        List<Map<String, String>> results = new ArrayList<>();
        List<Run> runs = List.of(new Run("JDK pools", "jdk", JDK_RUN), new Run("jwq", "jwq", JWQ_RUN));
        try (LoopbackService upstream = SprawlApp.upstream()) {
            for (Run run : runs) {
                results.add(runChild(run, out, upstream.port(), load, record));
            }
        }
        Map<String, String> jdk = results.get(0), jwq = results.get(1);
        printTable(runs, results);
        System.out.println(record
                ? "Both runs recorded JFR with the same settings (the JDK's default and jwq.jfc); only the jwq run has jwq"
                        + " events to record, and their cost is in its column."
                : "Neither run recorded JFR (--no-recording).");
        System.out.println("Resident memory is one reading under load. The heap is committed up front and G1 touches new"
                + " pages until its young generation has grown to the size it settles on, so at one point of a short run"
                + " the heap's share follows the heap allocated per request; a long enough run brings both towards"
                + " that size.");

        boolean correct = results.stream().allMatch(r -> r.get("exit").equals("0")
                && r.get("correct").equals(r.get("served")) && r.get("problems").equals("0"));
        int jdkThreads = Integer.parseInt(jdk.get("peakThreads")), jwqThreads = Integer.parseInt(jwq.get("peakThreads"));
        // A clear margin, not one thread: both runs have the same pools, so chance alone moves the peaks a little.
        boolean fewer = jwqThreads * 4 <= jdkThreads * 3;
        System.out.println();
        System.out.printf("%s both runs served all %s requests with the right answer, and no library lost a task.%n",
                correct ? "Yes:" : "NO:", jdk.get("served"));
        System.out.printf("%s with jwq, the same %s executors of %s libraries needed %d threads at the peak instead of %d"
                        + " (%.1fx fewer).%n", fewer ? "Yes:" : "NO:", jwq.get("executors"), jwq.get("libraries"),
                jwqThreads, jdkThreads, (double) jdkThreads / Math.max(1, jwqThreads));
        System.out.println("Throughput and latency are one run each on this machine, for orientation; bench/ measures"
                + " speed with JMH.");
        if (!record) {
            System.exit(correct && fewer ? 0 : 1);
        }
        Path jwqRecording = out.resolve("sprawl-jwq.jfr");
        System.out.println("JFR recording of the jwq run: " + jwqRecording.toAbsolutePath() + "; what the workqueues did (jwq stat):");
        boolean stat = printStat(jwqRecording);
        System.exit(correct && fewer && stat ? 0 : 1);
    }

    /** Prints {@code jwq stat} of the recording (the command line of the agent jar); returns whether it worked. */
    private static boolean printStat(Path recording) throws IOException, InterruptedException {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"),
                "-cp", System.getProperty("java.class.path"), "dev.jwq.tool.Main", "stat", recording.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).inheritIO().start();
        return p.waitFor() == 0;
    }

    /** Runs the app in a child JVM and returns its result line's fields, plus its exit code. */
    private static Map<String, String> runChild(Run run, Path out, int upstreamPort, List<String> load, boolean record)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(COMMON);
        // jwq's settings file (statistics and sampled items) on top of the JDK's defaults, in both runs.
        if (record) {
            cmd.add("-XX:StartFlightRecording:filename=" + out.resolve("sprawl-" + run.key + ".jfr") + ",settings=default"
                    + ",settings=" + jfc(out));
        }
        cmd.addAll(run.jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SprawlApp.class.getName(),
                "--upstream", Integer.toString(upstreamPort)));
        cmd.addAll(load);
        System.out.printf("running with %s ...%n", run.label);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // The child prints little; reading it to the end before waiting cannot fill a pipe.
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(run.label + " run did not finish within 2 minutes:\n" + output);
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("SPRAWL-RESULT ")) {
                for (String kv : line.substring("SPRAWL-RESULT ".length()).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        fields.put("exit", Integer.toString(p.exitValue()));
        if (p.exitValue() != 0 || !fields.containsKey("peakThreads")) {
            System.out.println(output.indent(4));
            if (!fields.containsKey("peakThreads")) {
                throw new IllegalStateException(run.label + " run printed no result line (exit " + p.exitValue() + ")");
            }
        }
        return fields;
    }

    private static void printTable(List<Run> runs, List<Map<String, String>> results) {
        System.out.println();
        System.out.printf("%-40s", "");
        for (Run r : runs) {
            System.out.printf("%14s", r.label);
        }
        System.out.println();
        row("live Java threads (peak)", results, r -> r.get("peakThreads"));
        row("OS threads under load (incl. GC, JIT)", results, r -> r.get("osThreads"));
        row("resident memory under load (MB)", results, r -> mb(r.get("rssKb")));
        row("  of which the Java heap (MB)", results, r -> known(r.get("heapRssKb"), Sprawl::mb));
        row("resident memory, peak (MB)", results, r -> mb(r.get("hwmKb")));
        row("heap allocated per request (KB)", results, r -> kbOfBytes(r.get("allocBytesPerReq")));
        row("CPU per request (ms, all threads)", results, r -> known(r.get("cpuUsPerReq"), Sprawl::ms));
        row("  of it, JIT compiling while measured (s)", results, r -> known(r.get("jitCpuMs"), Sprawl::seconds));
        row("throughput (requests/s)", results, r -> r.get("reqPerSec"));
        row("latency p50 (ms)", results, r -> ms(r.get("p50us")));
        row("latency p99 (ms)", results, r -> ms(r.get("p99us")));
        row("requests served correctly", results, r -> r.get("correct") + "/" + r.get("served"));
        row("problems (lost work, failures)", results, r -> r.get("problems"));
    }

    private static void row(String what, List<Map<String, String>> results,
            java.util.function.Function<Map<String, String>, String> cell) {
        System.out.printf("%-40s", what);
        for (Map<String, String> r : results) {
            System.out.printf("%14s", cell.apply(r));
        }
        System.out.println();
    }

    private static String mb(String kb) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(kb) / 1024.0);
    }

    private static String kbOfBytes(String bytes) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(bytes) / 1024.0);
    }

    private static String seconds(String ms) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(ms) / 1000.0);
    }

    /** {@code format(value)}, or "n/a" for a figure the run could not read (-1: no /proc). */
    private static String known(String value, java.util.function.Function<String, String> format) {
        return value.equals("-1") ? "n/a" : format.apply(value);
    }

    private static String ms(String us) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(us) / 1000.0);
    }
}
