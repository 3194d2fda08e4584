package dev.jwq.bench.loadcost;

import dev.jwq.Workqueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One scenario of the load-cost harness, in a JVM of its own ({@link LoadCostBenchmark} starts
 * it): {@code bare} does nothing, {@code one} creates one workqueue and runs one item on it,
 * {@code many} creates 200 workqueues and runs one item on each. Then it lets the runtime's
 * short-lived helpers end, prints {@code rss <KiB>}, {@code threads <n>} and {@code heapUsed <KiB>}
 * (not collected first: heap pages once touched stay resident), then {@code ready},
 * and waits for a line on stdin while the parent reads its native memory with {@code jcmd}.
 * Nothing here uses JMX or any other subsystem the figures would then include.
 */
public final class LoadCostScenario {
    /** Workqueues of the {@code many} scenario. */
    static final int MANY = 200;

    private LoadCostScenario() {}

    public static void main(String[] args) throws Exception {
        String scenario = args.length == 1 ? args[0] : "";
        int workqueues = switch (scenario) {
            case "bare" -> 0;
            case "one" -> 1;
            case "many" -> MANY;
            default -> throw new IllegalArgumentException("usage: LoadCostScenario bare|one|many");
        };
        List<Workqueue> kept = new ArrayList<>(); // alive until measured, as an application keeps them
        CountDownLatch ran = new CountDownLatch(workqueues);
        for (int i = 0; i < workqueues; i++) {
            Workqueue wq = Workqueue.builder("wq" + i).build();
            kept.add(wq);
            wq.execute(ran::countDown);
        }
        if (!ran.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(ran.getCount() + " items did not run");
        }
        settle();
        System.out.println("rss " + vmRssKiB());
        System.out.println("threads " + Thread.getAllStackTraces().size());
        Runtime rt = Runtime.getRuntime();
        System.out.println("heapUsed " + ((rt.totalMemory() - rt.freeMemory()) >> 10)); // no GC: what was touched stays resident
        System.out.println("workqueues " + kept.size());
        System.out.println("ready");
        System.out.flush();
        System.in.read(); // the parent measures, then closes our stdin
    }

    /**
     * Lets start-up's transients end, so that what is measured is what stays: jwq's MBean
     * registration thread lingers a second after its last request, and the JVM keeps the arena
     * chunks of start-up's JIT compilations for up to 5 s (NMT "Arena Chunk": 6 MiB at 2 s,
     * nothing at 6 s) before its chunk pool cleaner frees them.
     */
    private static void settle() throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            Thread.sleep(250);
        } while (System.nanoTime() < giveUp && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("jwq/jmx")));
        Thread.sleep(CHUNK_POOL_SETTLE_MS);
    }

    /** Longer than the JVM's chunk pool cleaning interval (5 s). */
    static final long CHUNK_POOL_SETTLE_MS = 6_000;

    /** {@code VmRSS} of {@code /proc/self/status}, in KiB. */
    static long vmRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS (not Linux?)");
    }
}
