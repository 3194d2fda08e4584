package dev.jwq.samples;

import dev.jwq.jmc.JwqRulesReport;
import dev.jwq.samples.observe.ObservedApp;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.Severity;

/**
 * observe: records a small jwq application with jwq's JFR settings ({@code jwq.jfc} on top of
 * the JDK's defaults), then says which events it holds and where Mission Control shows them,
 * and runs the jwq rules of Mission Control's automated analysis on it. The application stalls
 * one pool on purpose (an item parks where concurrency management cannot see it, with the
 * sampler off and a 500 ms watchdog), so the stall rule has something to find.
 *
 * <p>Arguments: {@code --short} (accepted for symmetry with the other samples; the run is short
 * anyway), {@code --out DIR} (where the recording goes, default {@code target}).
 */
public final class Observe {
    /** Events the application must have produced, with where JMC's Event Browser lists them. */
    private static final Map<String, String> EXPECTED = Map.of(
            "dev.jwq.WorkExecution", "jwq / Work Items / Work Execution (one item in 1024, sampled when queued)",
            "dev.jwq.CpuIntensive", "jwq / Work Items / CPU Intensive Work",
            "dev.jwq.WorkerSleeping", "jwq / Workers / Worker Sleeping",
            "dev.jwq.WorkerLifecycle", "jwq / Workers / Worker Lifecycle",
            "dev.jwq.PoolStall", "jwq / Forward Progress / Pool Stall",
            "dev.jwq.WorkqueueStatistics", "jwq / Statistics / Workqueue Statistics (wq_monitor's columns)",
            "dev.jwq.PoolStatistics", "jwq / Statistics / Pool Statistics");

    private Observe() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of("target");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> { }
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --short, --out DIR)");
            }
        }
        Files.createDirectories(out);
        Path jfc = out.resolve("jwq.jfc");
        try (InputStream in = Observe.class.getResourceAsStream("/dev/jwq/jwq.jfc")) {
            if (in == null) {
                throw new IllegalStateException("dev/jwq/jwq.jfc is not on the class path");
            }
            Files.copy(in, jfc, StandardCopyOption.REPLACE_EXISTING);
        }
        Path recording = out.resolve("observe.jfr").toAbsolutePath();
        System.out.println("observe: a small jwq application runs under");
        String flag = "-XX:StartFlightRecording:settings=default,settings=" + jfc.toAbsolutePath() + ",filename=" + recording;
        System.out.println("  java " + flag + " -Djwq.watchdogThreshold=500ms -Djwq.blockingSampler=false ...");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), flag,
                "-Djwq.watchdogThreshold=500ms", "-Djwq.blockingSampler=false", "-cp", System.getProperty("java.class.path"),
                ObservedApp.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String childOut = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            System.out.println(childOut);
            System.out.println("NO: the application failed (exit " + p.exitValue() + ")");
            System.exit(1);
        }

        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String name = e.getEventType().getName();
            if (name.startsWith("dev.jwq.")) {
                counts.merge(name, 1, Integer::sum);
            }
        }
        System.out.println();
        System.out.println("Recording " + recording + " holds (open it in JDK Mission Control: Event Browser):");
        boolean allThere = true;
        for (Map.Entry<String, String> e : new TreeMap<>(EXPECTED).entrySet()) {
            int n = counts.getOrDefault(e.getKey(), 0);
            allThere &= n > 0;
            System.out.printf("  %-30s %6d   %s%n", e.getKey(), n, e.getValue());
        }
        System.out.println();
        System.out.println("jwq rules of JMC's automated analysis (jmc-rules, the same as JMC's Automated Analysis page):");
        Map<String, IResult> results = JwqRulesReport.evaluate(recording);
        for (Map.Entry<String, IResult> e : results.entrySet()) {
            System.out.printf("  %-22s %-8s %s%n", e.getKey(), e.getValue().getSeverity(), e.getValue().getSummary());
        }
        IResult stall = results.get("jwq.WorkqueueStall");
        boolean stallFound = stall != null && stall.getSeverity() == Severity.WARNING;
        System.out.println();
        System.out.println((allThere ? "Yes:" : "NO:") + " every kind of event above was recorded.");
        System.out.println((stallFound ? "Yes:" : "NO:") + " the stall rule flags the pool the application stalled on purpose.");
        System.exit(allThere && stallFound ? 0 : 1);
    }
}
