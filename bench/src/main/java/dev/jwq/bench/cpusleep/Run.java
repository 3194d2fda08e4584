package dev.jwq.bench.cpusleep;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run: {@code items} items of CPU burn + sleep handed to a fresh executor by {@code submitters}
 * platform threads, timed from the submitters' release to the last item's end.
 *
 * <p>Submitter threads are started and parked on a barrier before the clock starts, so thread
 * start-up is not timed; item i goes through submitter i mod submitters, with {@code execute}.
 */
final class Run {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Executor executor;
    private final int items;
    private final CpuBurner burner;
    private final long sleepNanos;
    private final int ncpu;
    private final int submitters;

    private final AtomicIntegerArray ran;                 // per item: how many times it ran
    private final CountDownLatch finished;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final LongAdder itemNanos = new LongAdder();
    private final Set<Object> workers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Run(Executor executor, int items, CpuBurner burner, long sleepNanos, int ncpu, int submitters) {
        this.executor = executor;
        this.items = items;
        this.burner = burner;
        this.sleepNanos = sleepNanos;
        this.ncpu = ncpu;
        this.submitters = submitters;
        this.ran = new AtomicIntegerArray(items);
        this.finished = new CountDownLatch(items);
    }

    RunResult execute() throws Exception {
        double load = loadAverage();
        ExecutorService exec = executor.create(ncpu);
        try {
            CyclicBarrier start = new CyclicBarrier(submitters + 1);
            Thread[] threads = new Thread[submitters];
            for (int s = 0; s < submitters; s++) {
                int id = s;
                threads[s] = Thread.ofPlatform().name("bench-submit-" + s).start(() -> submit(exec, id, start));
            }
            int threadsAtStart = THREADS.getThreadCount();
            THREADS.resetPeakThreadCount();
            long cpu0 = OS.getProcessCpuTime();
            start.await(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            if (!finished.await(timeoutNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(executor.label + ": " + finished.getCount() + " of " + items
                        + " items still not finished after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos()) + " s",
                        failure.get());
            }
            long wall = System.nanoTime() - t0;
            long cpu = OS.getProcessCpuTime() - cpu0;
            int jvmPeak = THREADS.getPeakThreadCount();
            for (Thread t : threads) {
                t.join();
            }
            Throwable f = failure.get();
            if (f != null) {
                throw new IllegalStateException(executor.label + ": an item or a submitter failed", f);
            }
            checkEachRanOnce();
            long ideal = burner.nanos() * items / ncpu;
            return new RunResult(submitters, wall, ideal, workers.size(), jvmPeak, threadsAtStart, peakInFlight.get(), itemNanos.sum(), cpu, items, load);
        } finally {
            exec.shutdown();
            if (!exec.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(executor.label + " did not terminate within 60 s");
            }
        }
    }

    private void submit(ExecutorService exec, int id, CyclicBarrier start) {
        try {
            start.await(30, TimeUnit.SECONDS);
            for (int i = id; i < items; i += submitters) {
                int item = i;
                exec.execute(() -> runItem(item));
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            while (finished.getCount() > 0) { // end the run now rather than at its timeout
                finished.countDown();
            }
        }
    }

    private void runItem(int item) {
        long start = System.nanoTime();
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            workers.add(workerKey());
            burner.burn();
            executor.sleep.sleep(sleepNanos);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        } finally {
            inFlight.decrementAndGet();
            itemNanos.add(System.nanoTime() - start);
            ran.incrementAndGet(item);
            finished.countDown();
        }
    }

    /**
     * The thread that runs the item; for a virtual thread, its carrier. The JDK does not publish
     * a virtual thread's carrier, but its {@code toString()} ends with {@code @<carrier name>}
     * while mounted; without that, the virtual thread itself is counted.
     */
    private static Object workerKey() {
        Thread t = Thread.currentThread();
        if (!t.isVirtual()) {
            return t;
        }
        String s = t.toString();
        int at = s.lastIndexOf('@');
        return at >= 0 ? "carrier " + s.substring(at + 1) : t;
    }

    private void checkEachRanOnce() {
        int missing = 0, repeated = 0, firstBad = -1;
        for (int i = 0; i < items; i++) {
            int n = ran.get(i);
            if (n != 1) {
                if (n == 0) {
                    missing++;
                } else {
                    repeated++;
                }
                if (firstBad < 0) {
                    firstBad = i;
                }
            }
        }
        if (missing + repeated > 0) {
            throw new IllegalStateException(executor.label + ": " + missing + " items never ran and " + repeated
                    + " ran more than once (first: item " + firstBad + ")");
        }
    }

    /**
     * Three times what the slowest executor here needs (every item's burn and sleep in turn on
     * ncpu threads), plus 30 s: generous on a loaded machine, and a lost item still fails the run.
     */
    private long timeoutNanos() {
        return 3 * (burner.nanos() + sleepNanos) * items / ncpu + TimeUnit.SECONDS.toNanos(30);
    }

    /** The 1-minute load average, or NaN off Linux. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
