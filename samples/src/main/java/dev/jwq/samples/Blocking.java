package dev.jwq.samples;

import dev.jwq.Workqueue;
import dev.jwq.Workqueues;
import dev.jwq.WqFlag;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Concurrency management against blocking I/O. Each item computes for {@link #CPU_US} us,
 * calls a loopback service that answers after {@link #IO_MS} ms (a blocking socket read,
 * wrapped in {@code Workqueues.blocking(...)}), and computes again. The same items, submitted
 * at once, run on three executors in turn:
 * <ul>
 * <li>a fixed pool with one thread per CPU: few threads, but the CPUs idle while they wait;
 * <li>a cached pool: the CPUs stay busy, with a thread for every item waiting;
 * <li>a jwq workqueue: a worker that blocks is replaced by another only while it blocks, so
 *     the CPUs stay busy with a handful of threads.
 * </ul>
 * It prints threads, throughput and CPU utilisation, and exits non-zero unless every answer
 * was right, jwq had more items in flight than CPUs (it started items while others blocked)
 * and it used fewer threads than the cached pool. Throughput and utilisation are printed, not
 * asserted: one run on a shared machine is no benchmark.
 *
 * <p>Arguments: {@code --short} (fewer items, for CI).
 */
public final class Blocking {
    /** CPU time of an item, before and again after its I/O. */
    static final int CPU_US = 200;
    /** Service time of the loopback service. */
    static final int IO_MS = 2;

    private Blocking() {}

    private record Result(String name, int items, long wrong, int peakThreads, int runners, int maxInFlight,
            long elapsedNanos, double cpuUtilisation) {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (!a.equals("--short")) {
                throw new IllegalArgumentException("unknown argument " + a + " (known: --short)");
            }
        }
        int items = args.length > 0 ? 500 : 3000;
        int ncpu = Runtime.getRuntime().availableProcessors();
        System.out.printf("blocking: %d items, each %d us of CPU, a %d ms call over a loopback socket, %d us of CPU;"
                + " %d CPUs%n%n", items, CPU_US, IO_MS, CPU_US, ncpu);

        try (LoopbackService service = LoopbackService.start(Duration.ofMillis(IO_MS), Blocking::answer)) {
            run("warm-up (not shown)", items / 5, service, () -> Executors.newFixedThreadPool(ncpu));
            List<Result> results = List.of(
                    run("fixed pool, " + ncpu + " threads", items, service, () -> Executors.newFixedThreadPool(ncpu)),
                    run("cached pool", items, service, Executors::newCachedThreadPool),
                    run("jwq workqueue (unbound)", items, service,
                            () -> Workqueue.builder("io").flags(WqFlag.UNBOUND).build()));

            System.out.printf("%-26s %8s %13s %15s %12s %13s %10s%n", "executor", "items", "peak threads",
                    "threads that ran", "max in flight", "items/s", "CPU busy");
            for (Result r : results) {
                System.out.printf(Locale.ROOT, "%-26s %8d %13d %15d %12d %13.0f %9.0f%%%n", r.name, r.items - r.wrong,
                        r.peakThreads, r.runners, r.maxInFlight, r.items * 1e9 / r.elapsedNanos, r.cpuUtilisation * 100);
            }
            Result fixed = results.get(0), cached = results.get(1), jwq = results.get(2);
            boolean correct = results.stream().allMatch(r -> r.wrong == 0);
            boolean overlapped = jwq.maxInFlight > ncpu;
            boolean fewer = jwq.runners < cached.runners;
            System.out.println();
            System.out.println((correct ? "Yes" : "NO") + ": every item got the right answer on every executor.");
            System.out.printf("%s: while items blocked, jwq started others: up to %d in flight on %d CPUs, where the"
                    + " fixed pool stays at %d.%n", overlapped ? "Yes" : "NO", jwq.maxInFlight, ncpu, fixed.maxInFlight);
            System.out.printf("%s: jwq ran them on %d threads, the cached pool on %d.%n", fewer ? "Yes" : "NO",
                    jwq.runners, cached.runners);
            System.exit(correct && overlapped && fewer ? 0 : 1);
        }
    }

    static long answer(long request) {
        return request * 31 + 7;
    }

    private static Result run(String name, int items, LoopbackService service, Supplier<ExecutorService> executor)
            throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Set<String> runners = ConcurrentHashMap.newKeySet();
        AtomicLong wrong = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger(), maxInFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(items);
        try (LoopbackClient client = new LoopbackClient(service.port())) {
            threads.resetPeakThreadCount();
            int before = threads.getThreadCount();
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            ExecutorService e = executor.get();
            for (int i = 0; i < items; i++) {
                long request = i;
                e.execute(() -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    runners.add(Thread.currentThread().getName());
                    Cpu.spinMicros(CPU_US);
                    long got;
                    try {
                        // The same code on every executor; only on a jwq worker does it tell
                        // concurrency management to start another item meanwhile.
                        got = Workqueues.blocking(() -> client.call(request));
                    } catch (Exception ex) {
                        got = ~answer(request);
                    }
                    Cpu.spinMicros(CPU_US);
                    if (got != answer(request)) {
                        wrong.incrementAndGet();
                    }
                    inFlight.decrementAndGet();
                    done.countDown();
                });
            }
            if (!done.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + ": " + done.getCount() + " items still pending after 2 minutes");
            }
            long elapsed = System.nanoTime() - t0;
            double utilisation = (os.getProcessCpuTime() - cpu0) / (double) elapsed / Runtime.getRuntime().availableProcessors();
            int peak = threads.getPeakThreadCount() - before;
            e.shutdown();
            if (!e.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + ": executor did not terminate");
            }
            return new Result(name, items, wrong.get(), Math.max(0, peak), runners.size(), maxInFlight.get(), elapsed,
                    utilisation);
        }
    }
}
