package dev.jwq.samples.sprawl;

import dev.jwq.samples.CpuTimes;
import dev.jwq.samples.LoopbackService;
import dev.jwq.samples.Percentile;
import dev.jwq.samples.ProcStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service built from a dozen libraries that each create their own executors (see
 * {@link Services}), under a steady load: a closed loop keeps {@code --concurrency} requests in
 * flight until {@code --warmup} plus {@code --requests} requests have been served. Each
 * request computes, queries the database, calls the upstream service over a loopback socket,
 * reads the cache, renders, and fires events, log lines, spans, metrics and, now and then, a
 * job. Every response is checked against {@link Values#expected}, and after the libraries have
 * been closed every fire-and-forget task is accounted for.
 *
 * <p>The last line of output is machine-readable for the launcher:
 * {@code SPRAWL-RESULT key=value ...}. Exits 1 if any request failed or got a wrong answer,
 * or any library lost work.
 *
 * <p>Arguments: {@code --upstream PORT} (default: start one in this process),
 * {@code --requests N} (10000), {@code --warmup N} (2000), {@code --concurrency N} (16).
 * System property {@code sprawl.executors=jdk|jwq} picks the executors ({@link ExecutorFactory}).
 */
public final class SprawlApp {
    private SprawlApp() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        LoopbackService ownUpstream = o.upstreamPort == 0 ? upstream() : null;
        int port = ownUpstream != null ? ownUpstream.port() : o.upstreamPort;

        Services services = new Services(port);
        int executors = services.libraries().stream().mapToInt(Library::executorCount).sum();
        System.out.printf("sprawl app: %d libraries with %d executors of their own, %s executors, %d CPUs%n",
                services.libraries().size(), executors, ExecutorFactory.KIND.name().toLowerCase(Locale.ROOT),
                Runtime.getRuntime().availableProcessors());

        Load warm = drive(services, 0, o.warmup, o.concurrency);
        long allocatedBefore = allocatedBytes();
        CpuTimes cpuBefore = CpuTimes.self();
        Load load = drive(services, o.warmup, o.requests, o.concurrency);
        CpuTimes cpu = CpuTimes.self().since(cpuBefore);
        long allocated = allocatedBytes() - allocatedBefore;
        ProcStatus loaded = ProcStatus.self();   // every library still up, as a long-running service has them
        long heapRssKb = ProcStatus.heapRssKb();
        services.close();

        long total = (long) o.warmup + o.requests;
        List<String> problems = new ArrayList<>(services.problems(total));
        for (Load l : List.of(warm, load)) {
            if (l.wrong > 0 || l.failed > 0) {
                problems.add(l.wrong + " wrong responses and " + l.failed + " failed requests"
                        + (l.firstFailure != null ? ", first failure: " + l.firstFailure : ""));
            }
        }
        for (Library l : services.libraries()) {
            System.out.printf("  %-18s %s%n", l.name, l.summary());
        }
        problems.forEach(p -> System.out.println("PROBLEM: " + p));

        int peakThreads = ManagementFactory.getThreadMXBean().getPeakThreadCount();
        ProcStatus end = ProcStatus.self();
        long[] lat = load.latencyNanos;
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "SPRAWL-RESULT kind=%s libraries=%d executors=%d served=%d correct=%d"
                        + " problems=%d peakThreads=%d osThreads=%d rssKb=%d heapRssKb=%d hwmKb=%d allocBytesPerReq=%d cpuUsPerReq=%d jitCpuMs=%d reqPerSec=%.0f p50us=%d p99us=%d%n",
                ExecutorFactory.KIND.name().toLowerCase(Locale.ROOT), services.libraries().size(), executors, total,
                total - warm.wrong - warm.failed - load.wrong - load.failed, problems.size(), peakThreads,
                loaded.osThreads(), loaded.rssKb(), heapRssKb, end.hwmKb(), allocated / o.requests,
                cpu.processMicrosPer(o.requests), cpu.compilerMillis(), load.requestsPerSecond(),
                Percentile.of(lat, 50) / 1000, Percentile.of(lat, 99) / 1000);
        if (ownUpstream != null) {
            ownUpstream.close();
        }
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /**
     * Heap allocated so far by every thread, live or ended (virtual threads' allocations count
     * on their carriers). Resident memory follows it: with the heap committed up front, G1
     * touches fresh eden pages until its young generation reaches the size it settles on, so
     * a run that allocates more per request is larger at the same point of a short run.
     */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** The upstream service the app calls: 1 ms per call, answering {@link Values#upstream}. */
    public static LoopbackService upstream() {
        return LoopbackService.start(Duration.ofMillis(1), Values::upstream);
    }

    /** What a stretch of load did. */
    private record Load(long[] latencyNanos, long elapsedNanos, long wrong, long failed, String firstFailure) {
        double requestsPerSecond() {
            return latencyNanos.length * 1e9 / Math.max(1, elapsedNanos);
        }
    }

    /**
     * Serves requests {@code first} .. {@code first + count - 1}, keeping {@code concurrency}
     * of them in flight, and checks every response.
     */
    private static Load drive(Services services, int first, int count, int concurrency) throws InterruptedException {
        long[] latency = new long[count];
        AtomicLong wrong = new AtomicLong(), failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int slot = i;
            long id = first + i;
            long sent = System.nanoTime();
            services.server().handle(id).whenComplete((body, failure) -> {
                latency[slot] = System.nanoTime() - sent;
                if (failure != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, failure.toString());
                } else if (body != Values.expected(id, Services.CACHE_KEYS)) {
                    wrong.incrementAndGet();
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(concurrency, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException((concurrency - inFlight.availablePermits())
                    + " requests still in flight after 2 minutes");
        }
        // The acquire above pairs with every release: all latency slots are written.
        return new Load(latency, System.nanoTime() - start, wrong.get(), failed.get(), firstFailure.get());
    }

    private record Options(int upstreamPort, int requests, int warmup, int concurrency) {
        static Options parse(String[] args) {
            int port = 0, requests = 10_000, warmup = 2_000, concurrency = 16;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                int v = positive(a, args[++i]);
                switch (a) {
                    case "--upstream" -> port = v;
                    case "--requests" -> requests = v;
                    case "--warmup" -> warmup = v;
                    case "--concurrency" -> concurrency = v;
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (known: --upstream, --requests, --warmup, --concurrency)");
                }
            }
            return new Options(port, requests, warmup, concurrency);
        }

        private static int positive(String option, String value) {
            try {
                int v = Integer.parseInt(value);
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("option " + option + " needs a positive whole number, got '" + value + "'");
        }
    }
}
