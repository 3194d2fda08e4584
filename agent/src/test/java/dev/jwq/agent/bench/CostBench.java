package dev.jwq.agent.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent costs a program built on executors: runs a program (its main class and
 * arguments) in child JVMs without the agent, with it, and with {@code names=false}, interleaved
 * round by round, and prints the median of every {@code key value} line the program printed
 * ({@code work-ms}, {@code rss-peak-kb}, {@code fixed-ns-per-task}, ...) and of the wall time.
 *
 * <pre>
 * mvn -B -q verify -pl agent -am -DskipTests     # builds the jar and the test classes
 * java -cp "agent/target/test-classes:$(cat agent/target/test-classpath.txt)" dev.jwq.agent.bench.CostBench \
 *      agent/target/jwq-agent.jar 5 org.example.bench.LibraryMix 1
 * </pre>
 * The child JVMs get this JVM's class path (the test class path) and are this JVM's java.
 */
public final class CostBench {
    public static void main(String[] args) throws Exception {
        String agent = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<String> program = Arrays.asList(args).subList(2, args.length);
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("no agent", List.of());
        variants.put("agent", List.of("-javaagent:" + agent));
        variants.put("agent names=false", List.of("-javaagent:" + agent + "=names=false"));
        Map<String, Map<String, List<Long>>> figures = new LinkedHashMap<>();
        for (int r = -1; r < rounds; r++) { // one warm-up round (page cache)
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(v.getValue());
                cmd.addAll(List.of("-cp", cp));
                cmd.addAll(program);
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Map<String, Long> seen = new LinkedHashMap<>();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] kv = line.trim().split(" ");
                        if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                            seen.put(kv[0], Long.parseLong(kv[1]));
                        }
                    }
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(cmd + " exited " + p.exitValue());
                }
                seen.put("wall-ms", (System.nanoTime() - t0) / 1_000_000);
                if (r >= 0) {
                    Map<String, List<Long>> f = figures.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>());
                    seen.forEach((k, x) -> f.computeIfAbsent(k, z -> new ArrayList<>()).add(x));
                }
            }
        }
        System.out.printf("%s, %d interleaved rounds, medians%n", String.join(" ", program), rounds);
        Map<String, List<Long>> base = figures.get("no agent");
        for (String key : base.keySet()) {
            StringBuilder sb = new StringBuilder(String.format("  %-24s", key));
            long b = median(base.get(key));
            for (String v : variants.keySet()) {
                long m = median(figures.get(v).get(key));
                sb.append(String.format("  %s %d (%.2fx)", v, m, b == 0 ? 0.0 : (double) m / b));
            }
            System.out.println(sb);
        }
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
