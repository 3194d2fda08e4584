package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.KernelFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 16 with the default settings (the sampler and CPU-hog detection on), and the
 * ManagedBlocker adapter. The variants with one source of blocking alone, and the controls, run
 * in child JVMs ({@link EngineGuaranteesTest}).
 */
class ConcurrencyManagementTest {
    private static final long WAIT_S = 10;

    /**
     * Rounds of the spinner scenario: the median bound needs a few, each costs about the
     * threshold. Eleven, not seven: on a quiet machine (2026-12-03) the second and fifth rounds
     * came out at 35-103 ms in nearly every run, and a third slow one now and then put the
     * median of seven past the bound (2 of 11 runs, on the engine before and after that day's
     * changes, every other round 10-16 ms). A detection that counted twice the threshold makes
     * every round slow, and still fails.
     */
    private static final int SPIN_ROUNDS = 11;
    /**
     * Bound on the median round, beyond the threshold: the monitor sees a new item twice before
     * it counts (two sample periods of 0.5 ms) and the worker it wakes shares the spinner's CPU.
     * Measured on the loaded 2-core build machine (load average 8-10): medians of 11-14 ms.
     */
    private static final long SPIN_MEDIAN_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Bound on every round, beyond the threshold: a monitor thread scheduled late lets the
     * spinner run on. Worst seen on the loaded build machine: 63 ms.
     */
    private static final long SPIN_ROUND_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(240);
    /** The spinner gives up after this much CPU time (or WAIT_S of wall time): it was never found a hog. */
    private static final long SPIN_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Guarantee 16, second half: a spinning item delays the next item of its pool by at most the
     * CPU-intensive threshold. The delay is counted as Linux counts it, in the spinner's CPU time
     * (an item that was only preempted is no hog): read off the spinner's thread just before the
     * other item is queued and again as that item starts, so it can only be overestimated. The
     * spinner spins until the other item has started, and gives up after
     * {@link #SPIN_GIVE_UP_NANOS} of CPU, far past every bound, should it never be found a hog.
     * Every round must stay within a generous bound (scheduling noise on a loaded machine), the
     * median round within a tight one (a detection that counted twice the threshold would fail).
     */
    @Test
    void aSpinningItemDelaysTheNextItemOfItsPoolByAtMostTheThresholdOfCpuTime() throws Exception {
        assertTrue(THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled(),
                "this JVM cannot measure thread CPU time, which the guarantee is stated in");
        long threshold = PoolMonitor.CPU_INTENSIVE_THRESHOLD_NANOS;
        assertTrue(threshold > 0, "CPU-intensive detection is off in this JVM (jwq.cpuIntensiveThreshold)");
        int cpu = Cpus.cpuAt(0);
        long[] delays = new long[SPIN_ROUNDS];
        try (Workqueue spin = Workqueue.builder("spinner").flags(WqFlag.PERCPU).build();
             Workqueue other = Workqueue.builder("behind-the-spinner").flags(WqFlag.PERCPU).build()) {
            for (int round = 0; round < SPIN_ROUNDS; round++) {
                delays[round] = spinnerCpuBeforeTheNextItemStarts(spin, other, cpu);
                assertTrue(delays[round] <= threshold + SPIN_ROUND_SLACK_NANOS, String.format(
                        "round %d: the spinner used %.1f ms of CPU between the queueing and the start of the item"
                                + " behind it; threshold %d ms, bound for one round %d ms", round, delays[round] / 1e6,
                        ms(threshold), ms(threshold + SPIN_ROUND_SLACK_NANOS)));
            }
        }
        long[] sorted = delays.clone();
        Arrays.sort(sorted);
        long median = sorted[SPIN_ROUNDS / 2];
        String all = Arrays.stream(delays).mapToObj(d -> String.format("%.1f", d / 1e6)).toList().toString();
        System.out.printf("item behind a spinner started after %s ms of the spinner's CPU (median %.1f, threshold %d ms)%n",
                all, median / 1e6, ms(threshold));
        assertTrue(median <= threshold + SPIN_MEDIAN_SLACK_NANOS, "median delay " + median / 1e6
                + " ms of the spinner's CPU over the rounds " + all + "; threshold " + ms(threshold)
                + " ms, bound for the median " + ms(threshold + SPIN_MEDIAN_SLACK_NANOS) + " ms");
        // Nor sooner: nothing blocks here, so the pool aims at its one CPU and the item waits for
        // the spinner's verdict (a pool aiming at more while no block is found would start it at once).
        assertTrue(median >= threshold, "median delay " + median / 1e6 + " ms of the spinner's CPU over the rounds "
                + all + ": the item behind it started before the spinner was found CPU-intensive (" + ms(threshold) + " ms)");
    }

    /** The platform thread running the calling item: the worker's own, or a virtual worker's carrier. */
    private static Thread runningThread() {
        Worker w = Worker.current();
        return w.carried != null ? w.carried.mountedOn() : Thread.currentThread();
    }

    /** One round: the spinner's CPU time (ns) from just before the other item is queued to its start. */
    private static long spinnerCpuBeforeTheNextItemStarts(Workqueue spin, Workqueue other, int cpu) throws Exception {
        AtomicBoolean otherStarted = new AtomicBoolean();
        AtomicBoolean gaveUp = new AtomicBoolean();
        AtomicReference<Thread> spinner = new AtomicReference<>();
        CountDownLatch spinning = new CountDownLatch(1);
        assertTrue(spin.queueOn(cpu, new Work(() -> {
            // The platform thread whose CPU the spinner burns: its own, or its carrier's (a
            // virtual worker that never yields keeps its carrier; the JVM has no CPU clock for
            // virtual threads).
            Thread burning = runningThread();
            spinner.set(burning);
            spinning.countDown();
            long cpuStart = THREADS.getThreadCpuTime(burning.threadId());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!otherStarted.get()) {
                if (THREADS.getThreadCpuTime(burning.threadId()) - cpuStart > SPIN_GIVE_UP_NANOS || System.nanoTime() - deadline > 0) {
                    gaveUp.set(true);
                    return;
                }
                Thread.onSpinWait();
            }
        })));
        assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS), "the spinner did not start");
        long spinnerId = spinner.get().threadId();
        AtomicLong cpuAtStart = new AtomicLong(-1);
        CountDownLatch otherRan = new CountDownLatch(1);
        long cpuAtQueue = THREADS.getThreadCpuTime(spinnerId);
        assertTrue(other.queueOn(cpu, new Work(() -> {
            cpuAtStart.set(THREADS.getThreadCpuTime(spinnerId));
            otherStarted.set(true);
            otherRan.countDown();
        })));
        assertTrue(otherRan.await(2 * WAIT_S, TimeUnit.SECONDS), "the item behind the spinner never started");
        spin.flush();
        assertFalse(gaveUp.get(), "the spinner gave up (" + ms(SPIN_GIVE_UP_NANOS) + " ms of CPU or " + WAIT_S
                + " s) before the item behind it started: it was never found CPU-intensive");
        assertTrue(cpuAtQueue >= 0 && cpuAtStart.get() >= 0, "the spinner's CPU time could not be read");
        return cpuAtStart.get() - cpuAtQueue;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static long explicitSleeps() {
        WorkerPool p = Pools.bound(0, false);
        p.lock.lock();
        try {
            return p.sleeps.get(BlockingSource.EXPLICIT.ordinal());
        } finally {
            p.lock.unlock();
        }
    }

    @Test
    void managedBlockLetsTheNextItemStartAndReturnsOnceReleasable() throws Exception {
        try (Workqueue wq = Workqueue.builder("managed").flags(WqFlag.PERCPU).build()) {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            int[] blockCalls = new int[1];
            long explicitBefore = explicitSleeps();
            wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                try {
                    Workqueues.managedBlock(new ForkJoinPool.ManagedBlocker() {
                        @Override
                        public boolean block() throws InterruptedException {
                            blockCalls[0]++;
                            gate.await();
                            return true;
                        }

                        @Override
                        public boolean isReleasable() {
                            return gate.getCount() == 0;
                        }
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            }));
            wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                gate.countDown();
                done.countDown();
            }));
            assertTrue(done.await(WAIT_S, TimeUnit.SECONDS), "the item behind a managed block ran and released it");
            assertTrue(blockCalls[0] <= 1, "block() called once");
            assertTrue(explicitSleeps() > explicitBefore, "the managed block was reported as explicit blocking");
        }
    }

    /**
     * An item blocked in native code (a socket accept: RUNNABLE to the JVM) is found by the
     * sampler through the kernel's view of the thread, so the item queued behind it on the same
     * CPU starts; that item is the one that connects and releases the first.
     */
    @Test
    void anItemBlockedInNativeCodeLetsTheNextItemStart() throws Exception {
        assumeTrue(KernelThreadState.syscallFileOfCurrentThread() != null && PoolMonitor.SAMPLE_BLOCKING,
                "needs Linux /proc/thread-self/syscall and the sampler");
        try (Workqueue wq = Workqueue.builder("native-wait").flags(WqFlag.PERCPU).build();
             java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            CountDownLatch accepting = new CountDownLatch(1);
            wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                accepting.countDown();
                try (java.net.Socket s = server.accept()) {
                    accepted.countDown();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            assertTrue(accepting.await(WAIT_S, TimeUnit.SECONDS));
            wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                try (java.net.Socket c = new java.net.Socket(server.getInetAddress(), server.getLocalPort())) {
                    assertTrue(accepted.await(WAIT_S, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertTrue(accepted.await(WAIT_S, TimeUnit.SECONDS),
                    "the item behind one blocked in accept() started and connected");
            wq.flush();
        }
    }

    /**
     * Once a sample finds a worker blocked, the monitor samples at the blocking period (platform
     * workers with the sampler: the blocked worker's pool waits for the sample that sees it). The
     * item behind one blocked in a latch starts only on the sampler's verdict (no hook, no
     * explicit call here), and a period chosen after that verdict, not an earlier test's, must be
     * the blocking one.
     */
    @Test
    void aWorkerFoundBlockedMakesTheMonitorSampleAtTheBlockingPeriod() throws Exception {
        assumeTrue(PoolMonitor.SAMPLE_BLOCKING && !WorkerModel.VIRTUAL, "platform workers found blocked by the sampler");
        assertTrue(PoolMonitor.BLOCKING_SAMPLE_PERIOD_NANOS < PoolMonitor.SAMPLE_PERIOD_NANOS);
        long since = System.nanoTime();
        CountDownLatch fast = new CountDownLatch(1);
        PoolMonitor.parkChosen = (period, verdictAt, park) -> {
            if (verdictAt - since > 0 && period == PoolMonitor.BLOCKING_SAMPLE_PERIOD_NANOS) {
                fast.countDown();
            }
        };
        CountDownLatch release = new CountDownLatch(1);
        try (Workqueue wq = Workqueue.builder("blocked-sampled").flags(WqFlag.PERCPU).build()) {
            assertTrue(itemBehindABlockedOneStarts(wq, release), "the item behind the blocked one started");
            assertTrue(fast.await(WAIT_S, TimeUnit.SECONDS), "the monitor sampled at the blocking period after its verdict");
            release.countDown();
            wq.flush();
        } finally {
            PoolMonitor.parkChosen = null;
            release.countDown();
        }
        assertTrue(PoolMonitor.periodAfter(0) == PoolMonitor.BLOCKING_SAMPLE_PERIOD_NANOS
                && PoolMonitor.periodAfter(PoolMonitor.BLOCKING_WINDOW_NANOS) == PoolMonitor.SAMPLE_PERIOD_NANOS,
                "the blocking period lasts the window, then the usual one");
    }

    /**
     * While the sampler finds a pool's workers blocked, the pool aims at one more running worker
     * than its CPUs (WorkerPool.blockSampled). On CPU 0's pool, behind an item blocked in a latch
     * (only the sampler can find it), a spinning item starts on the verdict, and an item behind
     * the spinner starts beside it, long before the spinner could be found CPU-intensive: the only
     * other way for it to start while the spinner runs (the hog test shows the pool waits for
     * that when nothing blocks). Several rounds, each queued into a quiet pool. Once nothing has
     * blocked for a window and nothing waits, the pool aims at its one CPU again.
     */
    @Test
    void aPoolWhoseWorkersAreFoundBlockedRunsOneMoreWorkerThanItsCpus() throws Exception {
        assumeTrue(PoolMonitor.SAMPLE_BLOCKING && !WorkerModel.VIRTUAL, "platform workers found blocked by the sampler");
        long threshold = PoolMonitor.CPU_INTENSIVE_THRESHOLD_NANOS;
        assumeTrue(threshold > 0, "CPU-intensive detection on (jwq.cpuIntensiveThreshold), the other way the item starts");
        WorkerPool pool = Pools.bound(0, false);
        try (Workqueue wq = Workqueue.builder("one-more-running").flags(WqFlag.PERCPU).build()) {
            for (int round = 0; round < 3; round++) {
                awaitAimAtCpus(pool);
                long spinnerCpu = spinnerCpuBeforeAnItemBehindItStarts(wq, Cpus.cpuAt(0));
                assertTrue(spinnerCpu < threshold, String.format("round %d: the item behind the spinner started after"
                        + " %.1f ms of the spinner's CPU, not beside it (threshold %d ms)", round, spinnerCpu / 1e6, ms(threshold)));
            }
            awaitAimAtCpus(pool);
        }
    }

    /**
     * Waits until {@code pool} aims at its CPUs again and is no longer watched: the monitor
     * lowers the aim, or stops watching, as it samples, so each check waits for its next park
     * (told before each, the park until a pool is watched included).
     */
    private static void awaitAimAtCpus(WorkerPool pool) throws InterruptedException {
        Semaphore rounds = new Semaphore(0);
        PoolMonitor.parkChosen = (period, verdictAt, park) -> rounds.release();
        try {
            while (pool.aim != pool.concurrency || pool.isWatched()) {
                assertTrue(rounds.tryAcquire(WAIT_S, TimeUnit.SECONDS), "the monitor did not park again while the pool aims at "
                        + pool.aim + " running workers, " + pool.concurrency + " CPU(s), watched " + pool.isWatched());
            }
        } finally {
            PoolMonitor.parkChosen = null;
        }
    }

    /**
     * One round on {@code cpu}'s pool: an item blocked in a latch, a spinner and an item behind
     * it; the spinner's CPU time (ns) when the item behind it started. The spinner spins until
     * then, giving up after {@link #SPIN_GIVE_UP_NANOS} of CPU.
     */
    private static long spinnerCpuBeforeAnItemBehindItStarts(Workqueue wq, int cpu) throws Exception {
        CountDownLatch release = new CountDownLatch(1), spinning = new CountDownLatch(1), behindRan = new CountDownLatch(1);
        AtomicReference<Thread> spinner = new AtomicReference<>();
        AtomicLong spinnerCpuAtItsStart = new AtomicLong(-1), cpuAtStart = new AtomicLong(-1);
        try {
            assertTrue(wq.queueOn(cpu, new Work(() -> awaitQuietly(release))));
            assertTrue(wq.queueOn(cpu, new Work(() -> {
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                spinnerCpuAtItsStart.set(cpuStart);
                spinner.set(Thread.currentThread());
                spinning.countDown();
                while (behindRan.getCount() > 0 && THREADS.getCurrentThreadCpuTime() - cpuStart < SPIN_GIVE_UP_NANOS) {
                    Thread.onSpinWait();
                }
            })));
            assertTrue(wq.queueOn(cpu, new Work(() -> {
                awaitQuietly(spinning);
                Thread t = spinner.get();
                cpuAtStart.set(THREADS.getThreadCpuTime(t.threadId()));
                behindRan.countDown();
            })));
            assertTrue(behindRan.await(WAIT_S, TimeUnit.SECONDS), "the item behind the spinner never started");
        } finally {
            release.countDown();
            behindRan.countDown();
        }
        wq.flush();
        assertTrue(cpuAtStart.get() >= 0 && spinnerCpuAtItsStart.get() >= 0, "the spinner's CPU time could not be read");
        return cpuAtStart.get() - spinnerCpuAtItsStart.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The monitor parks for its period less its timer slack (how late the kernel may end the
     * park), so that it samples every period: each park it chose while it sampled a blocked
     * worker, whatever the period, is what parkNanosFor gives for the slack of its threads (jwq
     * sets no thread's slack: they all have the process's).
     */
    @Test
    void theMonitorParksForItsPeriodLessItsTimerSlack() throws Exception {
        assumeTrue(PoolMonitor.SAMPLE_BLOCKING && !WorkerModel.VIRTUAL, "platform workers found blocked by the sampler");
        long slack = KernelFiles.timerSlackNanos();
        assumeTrue(slack > 0, "a timer slack to read (Linux 4.6+)");
        List<long[]> parks = new CopyOnWriteArrayList<>();
        PoolMonitor.parkChosen = (period, verdictAt, park) -> parks.add(new long[] {period, park});
        CountDownLatch release = new CountDownLatch(1);
        try (Workqueue wq = Workqueue.builder("slack-monitor").flags(WqFlag.PERCPU).build()) {
            boolean started = itemBehindABlockedOneStarts(wq, release);
            release.countDown();
            assertTrue(started, "the item behind the blocked one started");
        } finally {
            release.countDown();
            PoolMonitor.parkChosen = null;
        }
        assertFalse(parks.isEmpty(), "the monitor sampled");
        for (long[] p : parks) {
            assertEquals(p[0] - Math.min(slack, p[0] / 2), p[1], "park for a period of " + p[0] + " ns, slack " + slack);
        }
        assertEquals(50_000, PoolMonitor.parkNanosFor(100_000, 50_000));
        assertEquals(50_000, PoolMonitor.parkNanosFor(100_000, 80_000), "at least half the period");
        assertEquals(100_000, PoolMonitor.parkNanosFor(100_000, 0));
    }

    /**
     * Queues on CPU 0's pool of per-CPU {@code wq} an item that blocks until {@code release}
     * opens, then one behind it, and says whether the one behind started within WAIT_S: only
     * the sampler can find the first blocked (no hook, no explicit call), so its pool is watched.
     */
    private static boolean itemBehindABlockedOneStarts(Workqueue wq, CountDownLatch release) throws InterruptedException {
        CountDownLatch behind = new CountDownLatch(1);
        wq.queueOn(Cpus.cpuAt(0), new Work(() -> awaitQuietly(release)));
        wq.queueOn(Cpus.cpuAt(0), new Work(behind::countDown));
        return behind.await(WAIT_S, TimeUnit.SECONDS);
    }
}
