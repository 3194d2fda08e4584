package dev.jwq;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;

/**
 * Shared fixture of the guarantee tests of this package: every workqueue a test makes is closed
 * at the end with a bounded wait, gates are opened and failures seen off the test thread fail
 * the test. Two styles share it: the {@code created} / {@link #track} / {@link #gate()} /
 * {@link #await} helpers (BadInputTest, ExecutorContractTest, MaxActiveGuaranteesTest,
 * ShutdownGuaranteesTest) and the scripted {@link Harness} {@code h} (WorkQueueingGuaranteesTest,
 * WorkFlushCancelGuaranteesTest, DelayedWorkGuaranteesTest, WorkqueueFlushDrainGuaranteesTest).
 * A test uses one of them; the other stays empty and its tear-down does nothing.
 */
abstract class WorkqueueFixture {
    static final long WAIT_S = 10;
    /** Bounded wait for "this did NOT happen" checks. */
    static final long QUIET_MS = 150;
    /** A bounded wait for something that must NOT happen; a broken runtime does it well within. */
    static final long MUST_NOT_HAPPEN_MS = 50;

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
            if (!Workqueues.blocking(() -> gate.await(WAIT_S, TimeUnit.SECONDS))) {
                problems.add(what + ": gate not opened within " + WAIT_S + " s");
            }
        } catch (Exception e) {
            problems.add(what + ": " + e);
        }
    }

    void assertNoProblems() {
        assertTrue(problems.isEmpty(), () -> "inside work items: " + problems);
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), what + " did not happen within " + WAIT_S + " s");
    }

    /** Work.flush() with a bound: a broken runtime fails the test instead of hanging it. */
    static boolean flushBounded(Work w) throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            result.set(w.flush());
            done.countDown();
        }, "flusher");
        t.setDaemon(true);
        t.start();
        await(done, "flush of " + w);
        return result.get();
    }

    /** close(), but a broken runtime fails the test instead of hanging it. */
    static void closeBounded(Workqueue wq) throws InterruptedException {
        Thread closer = new Thread(wq::close, "close-" + wq.name());
        closer.setDaemon(true);
        closer.start();
        closer.join(WAIT_S * 1000);
        if (closer.isAlive()) {
            wq.shutdownNow();
            closer.join(WAIT_S * 1000);
            throw new AssertionError("close() of " + wq + " did not return within " + WAIT_S + " s");
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

        /** Generous bound for anything that must happen; only reached when the runtime is broken. */
        static final long TIMEOUT_S = 10;
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

        /** Runs {@code call} on a new thread, so that the test can watch it block and bound its wait. */
        <T> Async<T> async(String name, Callable<T> call) {
            Async<T> a = new Async<>(name, call);
            threads.add(a.thread);
            return a;
        }

        /** Calls {@code call} on another thread and waits for its result, at most TIMEOUT_S. */
        <T> T call(String what, Callable<T> call) throws Exception {
            return async(what, call).get(what);
        }

        /** Waits for the instance of {@code w} that is pending or running now (bounded). */
        boolean flush(Work w) throws Exception {
            return call("flush of " + w, w::flush);
        }

        void close() throws Exception {
            gates.forEach(CountDownLatch::countDown);
            for (Work w : cancelAtEnd) {
                w.cancel();
            }
            List<String> stuck = new ArrayList<>();
            for (Workqueue wq : workqueues) {
                wq.shutdown();
                if (wq.awaitTermination(TIMEOUT_S, SECONDS)) {
                    wq.close();
                } else {
                    stuck.add(wq.name());
                    wq.shutdownNow();
                }
            }
            for (Thread t : threads) {
                t.join(SECONDS.toMillis(TIMEOUT_S));
            }
            assertTrue(stuck.isEmpty(), "workqueues that did not terminate: " + stuck);
            assertNoFailures();
        }

        static void await(CountDownLatch latch, String what) throws InterruptedException {
            assertTrue(latch.await(TIMEOUT_S, SECONDS), "timed out waiting for " + what);
        }

        static void acquire(Semaphore s, int permits, String what) throws InterruptedException {
            assertTrue(s.tryAcquire(permits, TIMEOUT_S, SECONDS), "timed out waiting for " + what);
        }

        /**
         * Waits until {@code t} is WAITING on something other than a lock (a latch, a condition,
         * Object.wait): a fact that says the call it makes has got as far as waiting. Seen twice
         * in a row, so that a thread passing through a lock is not taken for one that waits.
         */
        static void awaitWaiting(Thread t, String what) {
            long deadline = System.nanoTime() + SECONDS.toNanos(TIMEOUT_S);
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

            /** A bounded wait for a start that must not happen yet. */
            boolean startsWithin(long millis) throws InterruptedException {
                return started.await(millis, MILLISECONDS);
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
                    if (!s.gate.await(TIMEOUT_S, SECONDS)) {
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

            /** A bounded wait for a run nobody asked for. */
            void assertNoFurtherRun(long millis) throws InterruptedException {
                assertFalse(unexpected.await(millis, MILLISECONDS), "work item ran more often than it was queued");
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
                    return result.get(TIMEOUT_S, SECONDS);
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

            /** A bounded wait for a return that must not happen yet. */
            void assertNotDoneWithin(long millis, String what) throws Exception {
                try {
                    T r = result.get(millis, MILLISECONDS);
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
