package dev.jwq;

import dev.jwq.spi.WorkerBlocking;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Scenarios of the engine's guarantees that need their own {@code jwq.*} settings, each run in a
 * child JVM by {@link EngineGuaranteesTest}: a {@code main} that exits 0 when the guarantee held
 * and 1 (with the reason on stdout) when it did not. Waits are bounded (30 s) so that a broken
 * guarantee fails instead of hanging.
 */
final class EngineScenarios {
    /** Bounded waits; controls (which must fail) shorten them with -Dscenario.waitS. */
    static final long WAIT_S = Long.getLong("scenario.waitS", 30);

    private EngineScenarios() {}

    static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED: " + what);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    static void await(CountDownLatch l, String what) throws InterruptedException {
        check(l.await(WAIT_S, TimeUnit.SECONDS), what + " (waited " + WAIT_S + " s)");
    }

    /** A recording of every jwq event, when the test asks for one with -Dscenario.jfr=FILE. */
    private static final jdk.jfr.Recording RECORDING = startRecording();

    private static jdk.jfr.Recording startRecording() {
        if (System.getProperty("scenario.jfr") == null) {
            return null;
        }
        jdk.jfr.Recording r = new jdk.jfr.Recording();
        for (String name : java.util.List.of(dev.jwq.jfr.EventNames.MAYDAY, dev.jwq.jfr.EventNames.RESCUE,
                dev.jwq.jfr.EventNames.POOL_STALL, dev.jwq.jfr.EventNames.WORKER_LIFECYCLE)) {
            r.enable(name);
        }
        r.start();
        return r;
    }

    static void pass(String what) {
        if (RECORDING != null) {
            try {
                RECORDING.stop();
                RECORDING.dump(java.nio.file.Path.of(System.getProperty("scenario.jfr")));
            } catch (java.io.IOException e) {
                check(false, "cannot write the recording: " + e);
            }
        }
        System.out.println("OK: " + what);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** How an item tells concurrency management that it blocks. */
    interface Blocker {
        void block(CountDownLatch gate) throws Exception;
    }

    /**
     * Guarantee 16: 2×ncpu+2 items on one CPU's pool, each parked on a gate that only the last
     * one opens, all finish: every parked item lets the next one start.
     */
    static void blockedItemsAllFinish(Blocker blocker, BlockingSource expected) throws Exception {
        blockedItemsAllFinish(blocker, expected, () -> { });
    }

    /** What the last item does after it opened the gate (releases blockers a latch cannot). */
    interface Opener {
        void open() throws Exception;
    }

    static void blockedItemsAllFinish(Blocker blocker, BlockingSource expected, Opener opener) throws Exception {
        int n = 2 * Cpus.count() + 2;
        Workqueue wq = Workqueue.builder("blocked").flags(WqFlag.PERCPU).build();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        WorkerPool pool = Pools.bound(0, false);
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                try {
                    if (last) {
                        gate.countDown();
                        opener.open();
                    } else {
                        blocker.block(gate);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        await(done, n + " items parked on a gate opened by the last one all finish");
        long[] sleeps;
        pool.lock.lock();
        try {
            sleeps = new long[pool.sleeps.length()];
            for (int i = 0; i < sleeps.length; i++) {
                sleeps[i] = pool.sleeps.get(i);
            }
        } finally {
            pool.lock.unlock();
        }
        System.out.println("sleeps by source " + java.util.Arrays.toString(BlockingSource.values()) + ": "
                + java.util.Arrays.toString(sleeps));
        check(sleeps[expected.ordinal()] >= 1, "blocking was learnt from " + expected);
        for (BlockingSource other : BlockingSource.values()) {
            if (other != expected) {
                check(sleeps[other.ordinal()] == 0, "no blocking learnt from " + other);
            }
        }
        pass("guarantee 16 through " + expected);
    }

    /** Run with -Djwq.blockingSampler=false: Workqueues.blocking alone. */
    static final class BlockedItemsExplicit {
        public static void main(String[] args) throws Exception {
            blockedItemsAllFinish(gate -> Workqueues.blocking(() -> {
                gate.await();
                return null;
            }), BlockingSource.EXPLICIT);
        }
    }

    /** Run with -Djwq.blockingSampler=false: the agent's SPI alone. */
    static final class BlockedItemsHook {
        public static void main(String[] args) throws Exception {
            blockedItemsAllFinish(gate -> {
                boolean slept = WorkerBlocking.sleeping();
                try {
                    gate.await();
                } finally {
                    WorkerBlocking.running(slept);
                }
            }, BlockingSource.HOOK);
        }
    }

    /**
     * Run with java.lang open and -Djwq.blockingSampler=false: virtual workers on carriers, and
     * no other source of blocking news. The items block in four ways the JDK unmounts a virtual
     * thread on: LockSupport.park (a latch), Thread.sleep, a socket read, Object.wait. With
     * {@code -Djwq.workers=platform} the same run is the control that must NOT finish.
     */
    static final class BlockedItemsOnCarriers {
        public static void main(String[] args) throws Exception {
            Object monitor = new Object();
            java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    for (;;) {
                        accepted.add(server.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed at exit
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int n = 2 * Cpus.count() + 2;
            int sockets = (n - 1 + 1) / 4; // items 2, 6, 10, ... read from a socket
            java.util.concurrent.atomic.AtomicInteger index = new java.util.concurrent.atomic.AtomicInteger();
            blockedItemsAllFinish(gate -> {
                switch (index.getAndIncrement() % 4) {
                    case 0 -> gate.await();
                    case 1 -> {
                        while (gate.getCount() > 0) {
                            Thread.sleep(1);
                        }
                    }
                    case 2 -> {
                        try (java.net.Socket c = new java.net.Socket(server.getInetAddress(), server.getLocalPort())) {
                            check(c.getInputStream().read() == 1, "the gate's byte arrives");
                        }
                    }
                    default -> {
                        synchronized (monitor) {
                            while (gate.getCount() > 0) {
                                monitor.wait();
                            }
                        }
                    }
                }
            }, BlockingSource.CARRIER, () -> {
                // The gate opener: every way of blocking above is released.
                synchronized (monitor) {
                    monitor.notifyAll();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                while (accepted.size() < sockets) {
                    check(System.nanoTime() - deadline < 0, "the socket readers connected");
                    Thread.onSpinWait();
                }
                for (java.net.Socket a : accepted) {
                    a.getOutputStream().write(1);
                    a.getOutputStream().flush();
                }
            });
        }
    }

    /** Run with -Djwq.blockingSampler=false: no source at all, the control that must NOT finish. */
    static final class BlockedItemsUnreported {
        public static void main(String[] args) throws Exception {
            blockedItemsAllFinish(CountDownLatch::await, BlockingSource.SAMPLER);
        }
    }

    /**
     * Guarantee 17, run with -Djwq.cpuIntensiveThreshold=0 (no auto-detection): an item of a
     * CPU_INTENSIVE workqueue spins until an item of a plain workqueue queued behind it on the
     * same CPU has started. With {@code -Dscenario.plain=true} the spinner's workqueue lacks the
     * flag: the control that must fail.
     */
    static final class CpuIntensiveDoesNotHoldThePool {
        public static void main(String[] args) throws Exception {
            boolean flagged = !Boolean.getBoolean("scenario.plain");
            Workqueue spinWq = flagged ? Workqueue.builder("spin").flags(WqFlag.PERCPU, WqFlag.CPU_INTENSIVE).build()
                    : Workqueue.builder("spin").flags(WqFlag.PERCPU).build();
            Workqueue other = Workqueue.builder("other").flags(WqFlag.PERCPU).build();
            AtomicBoolean otherStarted = new AtomicBoolean();
            AtomicBoolean spinnerGaveUp = new AtomicBoolean();
            CountDownLatch spinning = new CountDownLatch(1);
            CountDownLatch bothDone = new CountDownLatch(2);
            spinWq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                spinning.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(WAIT_S, 10));
                while (!otherStarted.get()) {
                    if (System.nanoTime() - deadline > 0) {
                        spinnerGaveUp.set(true);
                        break;
                    }
                    Thread.onSpinWait();
                }
                bothDone.countDown();
            }));
            await(spinning, "the spinner starts");
            other.queueOn(Cpus.cpuAt(0), new Work(() -> {
                otherStarted.set(true);
                bothDone.countDown();
            }));
            await(bothDone, "both items end");
            check(!spinnerGaveUp.get(), "the other item started while the CPU_INTENSIVE item was still running");
            pass("guarantee 17");
        }
    }

    /**
     * Guarantee 18, run with -Djwq.maxWorkers=2: both workers of CPU 0's pool sit blocked in
     * items of a plain workqueue; no worker can be created, yet a MEM_RECLAIM workqueue's items
     * queued there all run (through its rescuer), while a plain item queued there waits.
     */
    static final class RescuerRunsWhenNoWorkerCanBeCreated {
        public static void main(String[] args) throws Exception {
            Objects.requireNonNullElse(RECORDING, ""); // starts the recording, if asked, before the scenario
            int reclaimItems = 40; // more than one rescuer batch
            Workqueue plain = Workqueue.builder("plain").flags(WqFlag.PERCPU).build();
            Workqueue reclaim = Workqueue.builder("reclaim").flags(WqFlag.PERCPU, WqFlag.MEM_RECLAIM).build();
            int cpu = Cpus.cpuAt(0);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch blockersIn = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                plain.queueOn(cpu, new Work(() -> {
                    blockersIn.countDown();
                    Workqueues.blocking(() -> awaitUninterruptibly(gate));
                }));
            }
            await(blockersIn, "two blockers run (the cap's two workers)");
            AtomicBoolean plainRan = new AtomicBoolean();
            plain.queueOn(cpu, new Work(() -> plainRan.set(true)));
            CountDownLatch rescued = new CountDownLatch(reclaimItems);
            List<String> threads = new ArrayList<>();
            for (int i = 0; i < reclaimItems; i++) {
                reclaim.queueOn(cpu, new Work(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread().getName());
                    }
                    rescued.countDown();
                }));
            }
            await(rescued, "every MEM_RECLAIM item runs although no worker can be created");
            check(!plainRan.get(), "the plain workqueue's item waits for a worker");
            check(threads.stream().allMatch(t -> t.equals("jwq/R-reclaim")), "MEM_RECLAIM items ran on the rescuer: " + threads);
            gate.countDown();
            plain.close();
            check(plainRan.get(), "the plain item runs once the blockers end");
            pass("guarantee 18");
        }
    }

    /**
     * Guarantee 19, run with -Djwq.idleTimeout=1500ms: 10 workers of CPU 0's pool go idle one
     * by one, in a known order; surplus ones retire, the oldest idle first, and not before the
     * timeout; the two most recently idle stay.
     *
     * <p>"Not before the timeout" is checked without racing the clock: each item stamps the time
     * just before it returns (its worker goes idle after that), and the test polls the pool's
     * worker list, taking the time after each look. A worker first seen gone at a time earlier
     * than its stamp plus the timeout certainly retired early; a late look can only hide an early
     * retirement, never invent one, so a slow machine weakens the check but cannot fail it.
     * "Oldest first": at every look the retired workers are the ones that went idle first.
     */
    static final class IdleWorkersRetireOldestFirst {
        public static void main(String[] args) throws Exception {
            int n = 10;
            Workqueue wq = Workqueue.builder("idle").flags(WqFlag.PERCPU).build();
            WorkerPool pool = Pools.bound(0, false);
            CountDownLatch allIn = new CountDownLatch(n);
            List<CountDownLatch> releases = new ArrayList<>();
            List<CountDownLatch> ends = new ArrayList<>();
            Worker[] ranOn = new Worker[n];
            long[] returnedAt = new long[n]; // written by item k before ends[k] opens, read after
            for (int i = 0; i < n; i++) {
                CountDownLatch release = new CountDownLatch(1);
                CountDownLatch end = new CountDownLatch(1);
                releases.add(release);
                ends.add(end);
                int k = i;
                wq.queueOn(Cpus.cpuAt(0), new Work(() -> {
                    ranOn[k] = Worker.current();
                    allIn.countDown();
                    Workqueues.blocking(() -> awaitUninterruptibly(release));
                    returnedAt[k] = System.nanoTime();
                    end.countDown();
                }));
            }
            await(allIn, n + " items block at once on " + n + " workers");
            check(java.util.Arrays.stream(ranOn).distinct().count() == n, "each item has its own worker");
            int total = workerCount(pool);
            check(total >= n, "at least " + n + " workers exist: " + total);
            for (int i = 0; i < n; i++) { // item 0's worker goes idle first, item n-1's last
                releases.get(i).countDown();
                await(ends.get(i), "item " + i + " ends");
                Worker w = ranOn[i];
                waitUntil(() -> isIdle(pool, w), "the worker of item " + i + " goes idle");
                Thread.sleep(20); // spreads the idle timestamps; the order itself is forced by the latches
            }
            long timeout = WorkerPool.IDLE_TIMEOUT_NANOS;
            long[] goneBy = new long[n];
            java.util.Arrays.fill(goneBy, -1);
            waitUntil(() -> {
                boolean[] gone = new boolean[n];
                pool.lock.lock();
                try {
                    for (int i = 0; i < n; i++) {
                        gone[i] = !pool.workers.contains(ranOn[i]);
                    }
                } finally {
                    pool.lock.unlock();
                }
                long now = System.nanoTime(); // after the look: the retirements seen happened before it
                for (int i = 0; i < n; i++) {
                    if (gone[i] && goneBy[i] < 0) {
                        goneBy[i] = now;
                        check(now - returnedAt[i] >= timeout, String.format("the worker of item %d retired at most %.0f ms"
                                + " after it went idle, before the idle timeout of %d ms", i, (now - returnedAt[i]) / 1e6,
                                timeout / 1_000_000));
                    }
                    check(!gone[i] || i == 0 || gone[i - 1], "the worker of item " + i + " retired before that of item "
                            + (i - 1) + ", which went idle earlier");
                }
                return workerCount(pool) <= 2;
            }, "surplus idle workers retire");
            for (int i = 0; i < n - 2; i++) {
                Thread t = ranOn[i].thread;
                t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
                check(!t.isAlive(), "the worker of item " + i + " (idle early) retired");
            }
            for (int i = n - 2; i < n; i++) {
                check(ranOn[i].thread.isAlive() && goneBy[i] < 0, "the worker of item " + i + " (idle last) stays");
            }
            System.out.printf("retired %.0f ms (item 0's worker) to %.0f ms (item %d's) after going idle; timeout %d ms%n",
                    (goneBy[0] - returnedAt[0]) / 1e6, (goneBy[n - 3] - returnedAt[n - 3]) / 1e6, n - 3, timeout / 1_000_000);
            pass("guarantee 19");
        }

        private static boolean isIdle(WorkerPool p, Worker w) {
            p.lock.lock();
            try {
                return w.idle;
            } finally {
                p.lock.unlock();
            }
        }

        private static int workerCount(WorkerPool p) {
            p.lock.lock();
            try {
                return p.workers.size();
            } finally {
                p.lock.unlock();
            }
        }
    }

    /**
     * Guarantee 22, run with -Djwq.watchdogThreshold=200ms -Djwq.blockingSampler=false
     * -Djwq.cpuIntensiveThreshold=0: an item parks unreported with another queued behind it on
     * the same pool; the stall is reported exactly once, with a dump naming the pool, the
     * blocked function and its stack, however long it lasts; a second stall is reported again.
     *
     * <p>"However long it lasts" is witnessed, not timed: once the stall is reported, a second
     * stall starts on CPU 0's high-priority pool. Its report comes only after the watchdog has
     * looked at every pool for a whole threshold more, so by then a second report of the first
     * stall would have been made.
     */
    static final class WatchdogReportsEachStallOnce {
        public static void main(String[] args) throws Exception {
            Objects.requireNonNullElse(RECORDING, ""); // starts the recording, if asked, before the scenario
            List<String> reports = lockupReports();
            Workqueue wq = Workqueue.builder("stuck").flags(WqFlag.PERCPU).build();
            Workqueue witness = Workqueue.builder("witness").flags(WqFlag.PERCPU, WqFlag.HIGHPRI).build();
            String pool = Pools.bound(0, false).toString(), witnessPool = Pools.bound(0, true).toString();
            // Both pools started, their first workers running items, before any stall: a cold
            // start (class loading, FFM set-up, the first log line) on a loaded machine can take
            // longer than the 200 ms threshold, and is then rightly reported as a stall of its own.
            // Such reports (their dumps name no StuckFunction) are left out.
            for (Workqueue w : List.of(wq, witness)) {
                CountDownLatch warm = new CountDownLatch(1);
                w.queueOn(Cpus.cpuAt(0), new Work(warm::countDown));
                await(warm, "a first item on " + w.name());
                w.flush();
            }
            reports.clear();
            for (int stall = 1; stall <= 2; stall++) {
                int expected = stall;
                CountDownLatch behindRan = stallPool(wq);
                waitUntil(() -> reportsOf(reports, pool).size() >= expected, "stall " + stall + " is reported");
                CountDownLatch witnessBehindRan = stallPool(witness);
                waitUntil(() -> reportsOf(reports, witnessPool).size() >= expected, "the witness stall " + stall + " is reported");
                List<String> ours = reportsOf(reports, pool);
                check(ours.size() == stall, "stall " + stall + " reported once, got " + ours.size() + " reports of " + pool);
                String r = ours.get(stall - 1);
                check(r.contains(StuckFunction.class.getName()) && r.contains("[stuck]"), "the report names the function and workqueue: " + r);
                check(r.contains("stack of jwq/") && r.contains("StuckFunction.run"), "the report has the stuck worker's stack: " + r);
                StuckFunction.releaseAll();
                await(behindRan, "the pool goes on once the stalled item returns");
                await(witnessBehindRan, "the witness pool goes on once its stalled item returns");
            }
            System.out.println(reportsOf(reports, pool).get(0));
            pass("guarantee 22");
        }

        /** Parks an item unreported on CPU 0's pool of {@code wq} with another behind it; returns the latter's latch. */
        private static CountDownLatch stallPool(Workqueue wq) {
            CountDownLatch behindRan = new CountDownLatch(1);
            wq.queueOn(Cpus.cpuAt(0), new Work(new StuckFunction()));
            wq.queueOn(Cpus.cpuAt(0), new Work(behindRan::countDown));
            return behindRan;
        }

    }

    /**
     * The runtime's logger, held: the log manager keeps loggers only weakly, so a handler added
     * to one that nothing else holds yet goes with it at the next collection, and the runtime's
     * first log line then makes a new logger without it (a CI run lost a stall report that way).
     */
    private static final Logger RUNTIME_LOGGER = Logger.getLogger("dev.jwq");

    /** The watchdog's lockup reports from now on, as they are logged. */
    static List<String> lockupReports() {
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        RUNTIME_LOGGER.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("workqueue lockup")) {
                    reports.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return reports;
    }

    /** The reports of a stall of {@code pool} (every report also dumps the other busy pools). */
    static List<String> reportsOf(List<String> reports, String pool) {
        return reports.stream().filter(m -> m.startsWith("jwq: BUG: workqueue lockup - " + pool + " stuck")).toList();
    }

    /**
     * Guarantee 22 for a pool whose lock one thread holds and never gives back (a holder
     * deadlocked elsewhere), run with -Djwq.watchdogThreshold=200ms: the watchdog, which never
     * waits for a pool lock, reports the stall once, naming the holder and its stack; once the
     * lock is free the pool runs items again and the stall counts among its stalls.
     *
     * <p>"Once" is witnessed as in {@link WatchdogReportsEachStallOnce}: after the report, the
     * holder also takes CPU 0's high-priority pool lock, whose report comes only after the
     * watchdog has checked every pool for a whole threshold more.
     */
    static final class WatchdogReportsAPoolLockHeldThroughout {
        public static void main(String[] args) throws Exception {
            List<String> reports = lockupReports();
            Workqueue wq = Workqueue.builder("held").flags(WqFlag.PERCPU).build();
            Workqueue witness = Workqueue.builder("held-witness").flags(WqFlag.PERCPU, WqFlag.HIGHPRI).build();
            WorkerPool pool = Pools.bound(0, false), witnessPool = Pools.bound(0, true);
            for (Workqueue w : List.of(wq, witness)) { // both pools started first (see WatchdogReportsEachStallOnce)
                CountDownLatch warm = new CountDownLatch(1);
                w.queueOn(Cpus.cpuAt(0), new Work(warm::countDown));
                await(warm, "a first item on " + w.name());
                w.flush();
            }
            long stallsBefore = stallsOf(pool);
            reports.clear();
            CountDownLatch holding = new CountDownLatch(1), witnessHeld = new CountDownLatch(1);
            CountDownLatch takeWitness = new CountDownLatch(1), release = new CountDownLatch(1);
            Thread holder = new Thread(() -> holdPoolLocks(pool, holding, takeWitness, witnessPool, witnessHeld, release),
                    "pool-lock-holder");
            holder.start();
            await(holding, "the holder has the pool lock");
            waitUntil(() -> reportsOf(reports, pool.toString()).size() >= 1, "the held lock is reported");
            takeWitness.countDown();
            await(witnessHeld, "the holder has the witness pool's lock");
            waitUntil(() -> reportsOf(reports, witnessPool.toString()).size() >= 1, "the witness's held lock is reported");
            List<String> ours = reportsOf(reports, pool.toString());
            check(ours.size() == 1, "the held lock reported once, got " + ours.size());
            String r = ours.get(0);
            check(r.contains("Its lock is held by pool-lock-holder throughout"), "the report names the holder: " + r);
            check(r.contains("stack of pool-lock-holder") && r.contains("holdPoolLocks"), "the report has the holder's stack: " + r);
            release.countDown();
            holder.join();
            CountDownLatch ran = new CountDownLatch(1);
            wq.queueOn(Cpus.cpuAt(0), new Work(ran::countDown));
            await(ran, "the pool runs items once the lock is free");
            waitUntil(() -> stallsOf(pool) == stallsBefore + 1, "the stall counts among the pool's stalls");
            System.out.println(r);
            pass("guarantee 22, a held lock");
        }

        /** Holds {@code pool}'s lock, then also {@code witnessPool}'s when told, until released. */
        private static void holdPoolLocks(WorkerPool pool, CountDownLatch holding, CountDownLatch takeWitness,
                                          WorkerPool witnessPool, CountDownLatch witnessHeld, CountDownLatch release) {
            pool.lock.lock();
            try {
                holding.countDown();
                awaitUninterruptibly(takeWitness);
                witnessPool.lock.lock();
                try {
                    witnessHeld.countDown();
                    awaitUninterruptibly(release);
                } finally {
                    witnessPool.lock.unlock();
                }
            } finally {
                pool.lock.unlock();
            }
        }

        private static long stallsOf(WorkerPool p) {
            p.lock.lock();
            try {
                return p.stalls;
            } finally {
                p.lock.unlock();
            }
        }
    }

    /** Parks until {@link #releaseAll()}, telling no one. */
    static final class StuckFunction implements Runnable {
        private static volatile CountDownLatch gate = new CountDownLatch(1);

        /** Releases every StuckFunction parked now; later ones park again. */
        static void releaseAll() {
            CountDownLatch g = gate;
            gate = new CountDownLatch(1);
            g.countDown();
        }

        @Override
        public void run() {
            awaitUninterruptibly(gate);
        }
    }

    /** Waits for {@code l} inside an item; an interrupt ends the wait and stays set. */
    static void awaitUninterruptibly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Condition {
        boolean holds();
    }

    /** Polls (every 5 ms, up to 30 s) for a condition that the engine makes true on its own schedule. */
    static void waitUntil(Condition c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!c.holds()) {
            check(System.nanoTime() - deadline < 0, what + " (waited " + WAIT_S + " s)");
            Thread.sleep(5);
        }
    }

}
