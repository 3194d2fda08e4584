package dev.jwq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixture of the guarantee tests of this package: every workqueue a test makes is closed
 * at the end with a bounded wait, gates are opened and failures seen off the test thread fail
 * the test. Two styles share it: the {@code created} / {@link #track} / {@link #gate()} /
 * {@link #block} helpers (BadInputTest, ExecutorContractTest, MaxActiveGuaranteesTest,
 * ShutdownGuaranteesTest) and the scripted {@link Harness} {@code h} (WorkQueueingGuaranteesTest,
 * WorkFlushCancelGuaranteesTest, DelayedWorkGuaranteesTest, WorkqueueFlushDrainGuaranteesTest).
 * A test may use both; each tears down what it made.
 *
 * <p>One vocabulary of waits, two bounds:
 * <ul>
 *   <li><b>must happen</b>: {@link #await}, {@link #acquire}, {@link #awaitTrue},
 *       {@link Harness.Step#awaitStarted()}, {@link Harness.Async#get} and the like wait up to
 *       {@link #MUST_HAPPEN_S} and fail the test when that passes. Only a broken runtime reaches
 *       the bound, so it is generous.
 *   <li><b>must not happen</b>: {@link #assertNotWithin}, {@link Harness.Step#assertNotStartedWithin},
 *       {@link Harness.Script#assertNoFurtherRunWithin()}, {@link Harness.Async#assertNotDoneWithin}
 *       watch for {@link #MUST_NOT_HAPPEN_MS} and fail if it happens ({@link #waitMustNotHappen()}
 *       when there is nothing to watch but a value looked at afterwards). A broken runtime does the
 *       forbidden thing within a millisecond or so, so the bound is short; a slow machine can only
 *       hide a fault from it, never invent one.
 * </ul>
 * "Already waiting" is never guessed with a sleep: {@link Harness#awaitWaiting} observes it.
 *
 * <p>Most guarantee tests start from an item whose run is held inside its function:
 * {@link Harness#runHeld} and {@link Harness#pendingBehindHeldRun} set that up.
 */
abstract class WorkqueueFixture {
    /** Bound on anything that must happen; reached only when the runtime is broken. */
    static final long MUST_HAPPEN_S = 10;
    /** How long a check watches for something that must not happen. */
    static final long MUST_NOT_HAPPEN_MS = 100;

    /** Workqueues closed (bounded) after the test. */
    final List<Workqueue> created = new ArrayList<>();
    /** Run after the test, before the workqueues are closed (e.g. opening gates). */
    final List<Runnable> cleanups = new ArrayList<>();
    /** Failures seen inside work items, where assertions would only reach the worker. */
    final Queue<String> problems = new ConcurrentLinkedQueue<>();
    final Harness h = new Harness();

    @AfterEach
    void tearDown() throws Exception {
        try {
            h.close();
        } finally {
            closeCreated();
        }
    }

    private void closeCreated() throws InterruptedException {
        cleanups.forEach(Runnable::run);
        afterCleanups();
        AssertionError first = null;
        for (Workqueue wq : created) {
            try {
                closeBounded(wq);
            } catch (AssertionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Hook run in tear-down after {@link #cleanups} and before the workqueues are closed. */
    void afterCleanups() {
    }

    Workqueue track(Workqueue wq) {
        created.add(wq);
        return wq;
    }

    /** A latch of 1 that the test opens; opened in any case after the test. */
    CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        cleanups.add(g::countDown);
        return g;
    }

    /** Inside an item: waits for the gate, telling concurrency management that it blocks. */
    void block(CountDownLatch gate, String what) {
        try {
            if (!Workqueues.blocking(() -> gate.await(MUST_HAPPEN_S, SECONDS))) {
                problems.add(what + ": gate not opened within " + MUST_HAPPEN_S + " s");
            }
        } catch (Exception e) {
            problems.add(what + ": " + e);
        }
    }

    /**
     * Takes {@code n} more of {@code wq}'s active slots on {@code cpu} with items that block
     * (another worker each) until the returned gate opens; returns once all have started.
     */
    CountDownLatch fillSlots(Workqueue wq, int cpu, int n) throws InterruptedException {
        CountDownLatch release = gate();
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            assertTrue(wq.queueOn(cpu, new Work(() -> {
                started.countDown();
                block(release, "filler");
            })));
        }
        await(started, "the fillers' start");
        return release;
    }

    void assertNoProblems() {
        assertTrue(problems.isEmpty(), () -> "inside work items: " + problems);
    }

    /* --------------- Must happen (within MUST_HAPPEN_S) --------------- */

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        mustHave(latch.await(MUST_HAPPEN_S, SECONDS), what);
    }

    static void acquire(Semaphore s, int permits, String what) throws InterruptedException {
        mustHave(s.tryAcquire(permits, MUST_HAPPEN_S, SECONDS), what);
    }

    /**
     * Fails unless {@code happened}, with the runtime's state ({@link StallReport}): a stall that
     * a run meets once must say where it was.
     */
    static void mustHave(boolean happened, String what) {
        if (!happened) {
            fail(what + " did not happen within " + MUST_HAPPEN_S + " s" + StallReport.now());
        }
    }

    /**
     * Polls {@code condition} every millisecond until it holds: for a state the runtime reaches
     * on its own schedule (a timer, another thread) that no latch or event tells of.
     */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(MUST_HAPPEN_S);
        while (!condition.getAsBoolean()) {
            mustHave(System.nanoTime() - deadline < 0, what);
            Thread.sleep(1);
        }
    }

    /* --------------- Must not happen (watched for MUST_NOT_HAPPEN_MS) --------------- */

    /** Fails if {@code latch} opens within {@link #MUST_NOT_HAPPEN_MS}: {@code what} must not happen. */
    static void assertNotWithin(CountDownLatch latch, String what) throws InterruptedException {
        assertFalse(latch.await(MUST_NOT_HAPPEN_MS, MILLISECONDS), what + " (seen within " + MUST_NOT_HAPPEN_MS + " ms)");
    }

    /** Fails if a permit of {@code s} is released within {@link #MUST_NOT_HAPPEN_MS}: {@code what} must not happen. */
    static void assertNotWithin(Semaphore s, String what) throws InterruptedException {
        assertFalse(s.tryAcquire(1, MUST_NOT_HAPPEN_MS, MILLISECONDS), what + " (seen within " + MUST_NOT_HAPPEN_MS + " ms)");
    }

    /**
     * Gives something that must not happen, and has no latch to watch (a counter, a state),
     * {@link #MUST_NOT_HAPPEN_MS} to happen before the assertion that follows looks.
     */
    static void waitMustNotHappen() throws InterruptedException {
        Thread.sleep(MUST_NOT_HAPPEN_MS);
    }

    /** close(), but a broken runtime fails the test instead of hanging it. */
    static void closeBounded(Workqueue wq) throws InterruptedException {
        Thread closer = new Thread(wq::close, "close-" + wq.name());
        closer.setDaemon(true);
        closer.start();
        closer.join(SECONDS.toMillis(MUST_HAPPEN_S));
        if (closer.isAlive()) {
            String state = StallReport.now(); // before shutdownNow changes it
            wq.shutdownNow();
            closer.join(SECONDS.toMillis(MUST_HAPPEN_S));
            throw new AssertionError("close() of " + wq + " did not return within " + MUST_HAPPEN_S + " s" + state);
        }
    }

    /* ------------------------------------------------------------------------------------------
     * Test plumbing of the Harness-based guarantee tests (WorkQueueingGuaranteesTest,
     * WorkFlushCancelGuaranteesTest, DelayedWorkGuaranteesTest, WorkqueueFlushDrainGuaranteesTest).
     * Every wait is bounded and asserted; gates are opened, timers cancelled and workqueues closed at the end even when a
     * test fails; failures inside work functions fail the test.
     * ------------------------------------------------------------------------------------------ */

    static final class Harness {
        /** A body of a work function or helper thread that may throw. */
        @FunctionalInterface
        interface Body {
            void run() throws Exception;
        }

        private static final CountDownLatch OPEN = new CountDownLatch(0);

        private final List<Workqueue> workqueues = new CopyOnWriteArrayList<>();
        private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
        private final List<Work> cancelAtEnd = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Workqueue create(WorkqueueKind kind, String name) {
            Workqueue wq = kind.create(name);
            workqueues.add(wq);
            return wq;
        }

        /** A closed gate that the end of the test opens if the test did not. */
        CountDownLatch gate() {
            CountDownLatch g = new CountDownLatch(1);
            gates.add(g);
            return g;
        }

        /** Cancels {@code w} at the end (a delayed item left armed for an hour would keep close() waiting). */
        <W extends Work> W cancelAtEnd(W w) {
            cancelAtEnd.add(w);
            return w;
        }

        /** A work function running {@code body}; whatever it throws fails the test. */
        Runnable checked(Body body) {
            return () -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failures.add(t);
                }
            };
        }

        /** Records a failure seen off the test thread (on a worker). */
        void fail(String message) {
            failures.add(new AssertionError(message));
        }

        void assertNoFailures() {
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("failed off the test thread: " + failures.peek(), failures.peek());
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }

        Script script() {
            return new Script();
        }

        /** {@link #runHeld(Function, Predicate)} of a plain {@link Work} queued with {@code wq.queue}. */
        HeldRun<Work> runHeld(Workqueue wq) throws InterruptedException {
            return runHeld(Work::new, wq::queue);
        }

        /**
         * The set-up most guarantee tests start from: a scripted item made by {@code make},
         * queued by {@code queue} (which must return true), and seen to start a run that is held
         * inside its function until released. The item is cancelled at the end (a delayed item
         * left armed would keep close() waiting).
         */
        <W extends Work> HeldRun<W> runHeld(Function<Runnable, W> make, Predicate<W> queue) throws InterruptedException {
            Script s = script();
            W w = cancelAtEnd(make.apply(s));
            Step run = s.held();
            assertTrue(queue.test(w), "queueing a fresh item returned false");
            run.awaitStarted();
            return new HeldRun<>(s, w, run);
        }

        /** {@link #pendingBehindHeldRun(Function, Predicate)} of a plain {@link Work} queued with {@code wq.queue}. */
        HeldRun<Work> pendingBehindHeldRun(Workqueue wq) throws InterruptedException {
            return pendingBehindHeldRun(Work::new, wq::queue);
        }

        /**
         * {@link #runHeld}, then the item queued again by {@code queue}: that instance stays
         * pending behind the held run (inactive on ORDERED and MAX_ACTIVE_1) until it is released.
         * Script its run, if it is to run, before releasing the held one.
         */
        <W extends Work> HeldRun<W> pendingBehindHeldRun(Function<Runnable, W> make, Predicate<W> queue)
                throws InterruptedException {
            HeldRun<W> held = runHeld(make, queue);
            assertTrue(queue.test(held.work), "queueing an item whose run is held returned false");
            return held;
        }

        /** Runs {@code call} on a new thread, so that the test can watch it block and bound its wait. */
        <T> Async<T> async(String name, Callable<T> call) {
            Async<T> a = new Async<>(name, call);
            threads.add(a.thread);
            return a;
        }

        /** Calls {@code call} on another thread and waits for its result, at most MUST_HAPPEN_S. */
        <T> T call(String what, Callable<T> call) throws Exception {
            return async(what, call).get(what);
        }

        /** Waits for the instance of {@code w} that is pending or running now (bounded). */
        boolean flush(Work w) throws Exception {
            return call("flush of " + w, w::flush);
        }

        void close() throws Exception {
            // Cancelled before the gates open: an instance left pending behind a held run must
            // not run once the run is released (a run with no step left fails the test).
            for (Work w : cancelAtEnd) {
                w.cancel();
            }
            gates.forEach(CountDownLatch::countDown);
            List<String> stuck = new ArrayList<>();
            String state = "";
            for (Workqueue wq : workqueues) {
                wq.shutdown();
                if (wq.awaitTermination(MUST_HAPPEN_S, SECONDS)) {
                    wq.close();
                } else {
                    if (stuck.isEmpty()) {
                        state = StallReport.now(); // before shutdownNow changes it
                    }
                    stuck.add(wq.name());
                    wq.shutdownNow();
                }
            }
            for (Thread t : threads) {
                t.join(SECONDS.toMillis(MUST_HAPPEN_S));
            }
            assertTrue(stuck.isEmpty(), "workqueues that did not terminate: " + stuck + state);
            assertNoFailures();
        }

        /**
         * Waits until {@code t} is WAITING on something other than a lock (a latch, a condition,
         * Object.wait): a fact that says the call it makes has got as far as waiting. Seen twice
         * in a row, so that a thread passing through a lock is not taken for one that waits.
         */
        static void awaitWaiting(Thread t, String what) {
            long deadline = System.nanoTime() + SECONDS.toNanos(MUST_HAPPEN_S);
            int seen = 0;
            while (seen < 2) {
                Object b1 = LockSupport.getBlocker(t);
                Thread.State st = t.getState();
                Object b2 = LockSupport.getBlocker(t);
                seen = st == Thread.State.WAITING && b1 == b2 && !isLock(b1) ? seen + 1 : 0;
                if (st == Thread.State.TERMINATED) {
                    throw new AssertionError(what + ": " + t.getName() + " returned instead of waiting");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(what + ": " + t.getName() + " never waited; it is " + st + " at "
                            + Arrays.toString(t.getStackTrace()));
                }
                Thread.yield();
            }
        }

        private static boolean isLock(Object blocker) {
            return blocker != null && blocker.getClass().getName().startsWith("java.util.concurrent.locks.Reentrant");
        }

        /** The CPUs this process may use, from /proc/self/status as the runtime reads them. */
        static int[] usableCpus() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        IntStream.Builder cpus = IntStream.builder();
                        for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                            String[] range = part.trim().split("-");
                            int lo = Integer.parseInt(range[0]), hi = Integer.parseInt(range[range.length - 1]);
                            IntStream.rangeClosed(lo, hi).forEach(cpus::add);
                        }
                        return cpus.build().toArray();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: fall back below
            }
            return IntStream.range(0, Runtime.getRuntime().availableProcessors()).toArray();
        }

        /** The live thread called {@code name}. */
        static Thread threadNamed(String name) {
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no thread " + name));
        }

        /** The pool a worker belongs to, from its name: {@code jwq/3:1H} -> {@code jwq/3H}, {@code jwq/u8:2} -> {@code jwq/u8}. */
        static String poolOf(String workerName) {
            int colon = workerName.lastIndexOf(':');
            assertTrue(workerName.startsWith("jwq/") && colon > 0, "not a jwq worker: " + workerName);
            return workerName.substring(0, colon) + (workerName.endsWith("H") ? "H" : "");
        }

        /** One expected run of a scripted item. */
        static final class Step {
            final CountDownLatch started = new CountDownLatch(1);
            final CountDownLatch finished = new CountDownLatch(1);
            private final CountDownLatch gate;
            private volatile Body then;
            volatile String thread;
            volatile long startedAt;

            Step(CountDownLatch gate) {
                this.gate = gate;
            }

            /** What the run does after its gate opens (e.g. queue another item: chained queueing). */
            Step then(Body body) {
                then = body;
                return this;
            }

            void release() {
                gate.countDown();
            }

            void awaitStarted() throws InterruptedException {
                await(started, "a run to start");
            }

            void awaitFinished() throws InterruptedException {
                await(finished, "a run to finish");
            }

            /** Fails if this run starts within {@link #MUST_NOT_HAPPEN_MS}: {@code what} must not happen yet. */
            void assertNotStartedWithin(String what) throws InterruptedException {
                assertNotWithin(started, what);
            }

            boolean hasFinished() {
                return finished.getCount() == 0;
            }
        }

        /**
         * A work function that follows a script: each run takes the next {@link Step}, records
         * its thread, reports that it started, waits for the step's gate, runs the step's
         * follow-up and reports that it finished. It fails the test if two runs overlap, or if
         * it runs with no step left (more often than it was queued).
         */
        final class Script implements Runnable {
            private final Queue<Step> steps = new ConcurrentLinkedQueue<>();
            private final AtomicInteger inside = new AtomicInteger();
            private final AtomicInteger runs = new AtomicInteger();
            private final CountDownLatch unexpected = new CountDownLatch(1);

            /** A run that goes straight through. */
            Step next() {
                return add(new Step(OPEN));
            }

            /** A run that waits inside the function until {@link Step#release()}. */
            Step held() {
                return add(new Step(gate()));
            }

            private Step add(Step s) {
                steps.add(s);
                return s;
            }

            int runs() {
                return runs.get();
            }

            @Override
            public void run() {
                if (inside.getAndIncrement() != 0) {
                    fail("work item overlapped itself (" + Thread.currentThread().getName() + ")");
                }
                runs.incrementAndGet();
                Step s = steps.poll();
                try {
                    if (s == null) {
                        unexpected.countDown();
                        fail("work item ran more often than it was queued (run " + runs.get() + ")");
                        return;
                    }
                    s.thread = Thread.currentThread().getName();
                    s.startedAt = System.nanoTime();
                    s.started.countDown();
                    if (!s.gate.await(MUST_HAPPEN_S, SECONDS)) {
                        fail("a held run was never released");
                    }
                    if (s.then != null) {
                        s.then.run();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    inside.decrementAndGet();
                    if (s != null) {
                        s.finished.countDown();
                    }
                }
            }

            /** Fails if the item runs again within {@link #MUST_NOT_HAPPEN_MS}: a run nobody asked for. */
            void assertNoFurtherRunWithin() throws InterruptedException {
                assertNotWithin(unexpected, "work item ran more often than it was queued");
            }
        }

        /**
         * A scripted item whose run is held: started, and waiting inside its function until
         * {@link #release()}. Meanwhile the item runs and is not pending, and an instance queued
         * now stays pending until the run returns (guarantee 2), for as long as a test needs.
         * More runs of the item are scripted on {@link #script}, in the order they will happen.
         */
        static final class HeldRun<W extends Work> {
            final Script script;
            final W work;
            final Step run;

            HeldRun(Script script, W work, Step run) {
                this.script = script;
                this.work = work;
                this.run = run;
            }

            void release() {
                run.release();
            }
        }

        /** A call running on its own thread. */
        static final class Async<T> {
            private final CompletableFuture<T> result = new CompletableFuture<>();
            final Thread thread;

            Async(String name, Callable<T> call) {
                thread = new Thread(() -> {
                    try {
                        result.complete(call.call());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                }, "test-" + name);
                thread.setDaemon(true);
                thread.start();
            }

            T get(String what) throws Exception {
                try {
                    return result.get(MUST_HAPPEN_S, SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("timed out waiting for " + what + "; " + thread.getName() + " is "
                            + thread.getState() + " at " + Arrays.toString(thread.getStackTrace()));
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception x) {
                        throw x;
                    }
                    throw c instanceof Error err ? err : new AssertionError(c);
                }
            }

            /** Fails if the call returns within {@link #MUST_NOT_HAPPEN_MS}: it must still be waiting. */
            void assertNotDoneWithin(String what) throws Exception {
                try {
                    T r = result.get(MUST_NOT_HAPPEN_MS, MILLISECONDS);
                    throw new AssertionError(what + " returned (" + r + ") when it should still be waiting");
                } catch (TimeoutException expected) {
                    // still waiting, as it should
                } catch (ExecutionException e) {
                    throw new AssertionError(what + " failed", e.getCause());
                }
            }

            void awaitWaiting(String what) {
                Harness.awaitWaiting(thread, what);
            }
        }
    }
}
