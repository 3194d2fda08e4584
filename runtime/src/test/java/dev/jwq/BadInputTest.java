package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input gets a clear exception naming the problem, and leaves nothing behind: a refused
 * item is not pending and can be queued elsewhere, a refused setting changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest extends WorkqueueFixture {
    /* ------------------------------------------------------------------ null */

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void nullWorkOrTaskIsRefusedWithNullPointerException(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("bad-null"));
        int cpu = Cpus.cpuAt(0);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("queue", () -> wq.queue(null));
        calls.put("queueOn", () -> wq.queueOn(cpu, null));
        calls.put("queueDelayed", () -> wq.queueDelayed(null, Duration.ofMillis(1)));
        calls.put("queueDelayedOn", () -> wq.queueDelayedOn(cpu, null, Duration.ofMillis(1)));
        calls.put("modDelayed", () -> wq.modDelayed(null, Duration.ZERO));
        calls.put("execute", () -> wq.execute(null));
        calls.put("schedule(Runnable)", () -> wq.schedule((Runnable) null, 1, TimeUnit.MILLISECONDS));
        calls.put("schedule(Callable)", () -> wq.schedule((Callable<?>) null, 1, TimeUnit.MILLISECONDS));
        calls.put("scheduleAtFixedRate", () -> wq.scheduleAtFixedRate(null, 1, 1, TimeUnit.MILLISECONDS));
        calls.put("scheduleWithFixedDelay", () -> wq.scheduleWithFixedDelay(null, 1, 1, TimeUnit.MILLISECONDS));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            NullPointerException e = assertThrows(NullPointerException.class, c.getValue(), c.getKey() + "(null)");
            assertMentions(e, c.getKey() + "(null)", "null");
        }
        // Constructors.
        assertMentions(assertThrows(NullPointerException.class, () -> new Work(null)), "new Work(null)", "null");
        assertMentions(assertThrows(NullPointerException.class, () -> new DelayedWork(null)), "new DelayedWork(null)", "null");
        // Null delays and units name the parameter, and the item stays idle.
        DelayedWork dw = new DelayedWork(() -> { });
        assertMentions(assertThrows(NullPointerException.class, () -> wq.queueDelayed(dw, null)), "queueDelayed(dw, null)", "delay");
        assertMentions(assertThrows(NullPointerException.class, () -> wq.modDelayed(dw, null)), "modDelayed(dw, null)", "delay");
        assertFalse(dw.isPending(), "a refused item was left pending");
        assertMentions(assertThrows(NullPointerException.class, () -> wq.schedule(() -> { }, 1, null)), "schedule(r, 1, null)", "unit");
        // Nothing was queued by any of the above.
        assertTrue(wq.submit(() -> true).get(MUST_HAPPEN_S, TimeUnit.SECONDS));
    }

    /** submit(null) and invokeAll/invokeAny(null) name the task (AbstractExecutorService's checks). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void submitOfNullTaskNamesTheTask(WorkqueueKind kind) {
        Workqueue wq = track(kind.create("bad-null-submit"));
        assertMentions(assertThrows(NullPointerException.class, () -> wq.submit((Runnable) null)), "submit((Runnable) null)", "task");
        assertMentions(assertThrows(NullPointerException.class, () -> wq.submit((Runnable) null, 1)), "submit(null, result)", "task");
        assertMentions(assertThrows(NullPointerException.class, () -> wq.submit((Callable<?>) null)), "submit((Callable) null)", "task");
        assertMentions(assertThrows(NullPointerException.class, () -> wq.invokeAll(null)), "invokeAll(null)", "tasks");
        assertThrows(NullPointerException.class, () -> wq.invokeAny(null));
    }

    /* ------------------------------------------------------------------ max_active */

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void negativeMaxActiveIsRefused(WorkqueueKind kind) {
        for (int bad : new int[] {-1, -2048, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Workqueue.builder("bad-max").maxActive(bad));
            assertMentions(e, "builder maxActive(" + bad + ")", "bad-max", String.valueOf(bad));
        }
        Workqueue wq = track(kind.create("bad-max"));
        int before = wq.maxActive();
        for (int bad : new int[] {-1, Integer.MIN_VALUE}) {
            if (wq.isOrdered()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> wq.setMaxActive(bad));
                assertMentions(e, "setMaxActive(" + bad + ") on an ordered workqueue", wq.name());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wq.setMaxActive(bad));
                assertMentions(e, "setMaxActive(" + bad + ")", wq.name(), String.valueOf(bad));
            }
            assertEquals(before, wq.maxActive(), "a refused setMaxActive changed max_active");
        }
    }

    @Test
    void maxActiveAboveTheLimitClampsAndZeroMeansTheDefault() {
        assertEquals(2048, track(Workqueue.builder("clamp-a").maxActive(2049).build()).maxActive());
        assertEquals(2048, track(Workqueue.builder("clamp-b").maxActive(Integer.MAX_VALUE).build()).maxActive());
        assertEquals(2048, track(Workqueue.builder("clamp-c").flags(WqFlag.UNBOUND).maxActive(100_000).build()).maxActive());
        assertEquals(2048, track(Workqueue.builder("clamp-d").maxActive(2048).build()).maxActive());
        assertEquals(1024, track(Workqueue.builder("clamp-e").maxActive(0).build()).maxActive());
        assertEquals(1024, track(Workqueue.builder("clamp-f").build()).maxActive());
        assertEquals(1, track(Workqueue.builder("clamp-g").maxActive(1).build()).maxActive());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED", mode = EnumSource.Mode.EXCLUDE)
    void setMaxActiveAboveTheLimitClamps(WorkqueueKind kind) {
        Workqueue wq = track(kind.create("clamp-set"));
        wq.setMaxActive(5000);
        assertEquals(2048, wq.maxActive());
        wq.setMaxActive(Integer.MAX_VALUE);
        assertEquals(2048, wq.maxActive());
        wq.setMaxActive(0);
        assertEquals(1024, wq.maxActive());
        wq.setMaxActive(7);
        assertEquals(7, wq.maxActive());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WorkqueueKind.class, names = "ORDERED")
    void setMaxActiveOnOrderedIsRefused(WorkqueueKind kind) {
        Workqueue wq = track(kind.create("bad-ordered"));
        for (int n : new int[] {0, 1, 2, 4096}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> wq.setMaxActive(n));
            assertMentions(e, "setMaxActive(" + n + ") on ordered", wq.name(), "ordered");
        }
        assertEquals(1, wq.maxActive());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workqueue.builder("bad-ordered-2").ordered().maxActive(2).build());
        assertMentions(e, "ordered with max_active 2", "bad-ordered-2", "2");
        assertEquals(1, track(Workqueue.builder("ordered-1").ordered().maxActive(1).build()).maxActive());
    }

    /* ------------------------------------------------------------------ CPUs */

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void queueOnACpuTheProcessMayNotUseIsRefused(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("bad-cpu"));
        int beyond = Cpus.cpuAt(Cpus.count() - 1) + 1;
        Work w = new Work(() -> { });
        DelayedWork dw = new DelayedWork(() -> { });
        for (int cpu : new int[] {100_000, -1, beyond, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wq.queueOn(cpu, w));
            assertMentions(e, "queueOn(" + cpu + ")", String.valueOf(cpu));
            assertFalse(w.isPending(), "an item refused for CPU " + cpu + " was left pending");
            e = assertThrows(IllegalArgumentException.class, () -> wq.queueDelayedOn(cpu, dw, Duration.ofMillis(1)));
            assertMentions(e, "queueDelayedOn(" + cpu + ")", String.valueOf(cpu));
            assertFalse(dw.isPending(), "a delayed item refused for CPU " + cpu + " was left pending");
        }
        // Both items are still usable.
        assertTrue(wq.queueOn(Cpus.cpuAt(0), w));
        assertTrue(h.flush(w) || !w.isPending());
        assertTrue(wq.queueDelayedOn(Cpus.cpuAt(0), dw, Duration.ZERO));
        assertTrue(h.flush(dw) || !dw.isPending());
    }

    /* ------------------------------------------------------------------ closed and draining */

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void queueingOnAClosedWorkqueueIsRejectedAndLeavesTheItemFree(WorkqueueKind kind) throws Exception {
        Workqueue wq = kind.create("bad-closed");
        wq.close();
        Workqueue elsewhere = track(kind.create("bad-closed-elsewhere"));
        CountDownLatch ran = new CountDownLatch(2);
        Work w = new Work(ran::countDown);
        DelayedWork dw = new DelayedWork(ran::countDown);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("queue", () -> wq.queue(w));
        calls.put("queueOn", () -> wq.queueOn(Cpus.cpuAt(0), w));
        calls.put("queueDelayed(0)", () -> wq.queueDelayed(dw, Duration.ZERO));
        calls.put("queueDelayed(1 h)", () -> wq.queueDelayed(dw, Duration.ofHours(1)));
        calls.put("queueDelayedOn", () -> wq.queueDelayedOn(Cpus.cpuAt(0), dw, Duration.ofMillis(5)));
        calls.put("modDelayed", () -> wq.modDelayed(dw, Duration.ofMillis(5)));
        calls.put("execute", () -> wq.execute(() -> { }));
        calls.put("submit", () -> wq.submit(() -> 1));
        calls.put("schedule", () -> wq.schedule(() -> { }, 1, TimeUnit.MILLISECONDS));
        calls.put("scheduleAtFixedRate", () -> wq.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        calls.put("scheduleWithFixedDelay", () -> wq.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, c.getValue(),
                    c.getKey() + " on a closed workqueue");
            assertMentions(e, c.getKey() + " on a closed workqueue", wq.name());
            assertFalse(w.isPending() || dw.isPending(), "a rejected item was left pending after " + c.getKey());
        }
        // The rejected items can be queued elsewhere and run there.
        assertTrue(elsewhere.queue(w));
        assertTrue(elsewhere.queueDelayed(dw, Duration.ofMillis(1)));
        await(ran, "the rejected items running on another workqueue");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void queueingFromOutsideWhileDrainingIsRejectedAndLeavesTheItemFree(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("bad-draining"));
        Workqueue elsewhere = track(kind.create("bad-draining-elsewhere"));
        Draining d = startDraining(wq);

        CountDownLatch ran = new CountDownLatch(2);
        Work w = new Work(ran::countDown);
        DelayedWork dw = new DelayedWork(ran::countDown);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("queue", () -> wq.queue(w));
        calls.put("queueOn", () -> wq.queueOn(Cpus.cpuAt(0), w));
        calls.put("queueDelayed(0)", () -> wq.queueDelayed(dw, Duration.ZERO));
        calls.put("modDelayed(0)", () -> wq.modDelayed(dw, Duration.ZERO));
        calls.put("execute", () -> wq.execute(() -> { }));
        calls.put("submit", () -> wq.submit(() -> 1));
        for (Map.Entry<String, Executable> c : calls.entrySet()) {
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, c.getValue(),
                    c.getKey() + " from outside during drain()");
            assertMentions(e, c.getKey() + " during drain()", wq.name(), "drain");
            assertFalse(w.isPending() || dw.isPending(), "a rejected item was left pending after " + c.getKey());
        }
        assertTrue(elsewhere.queue(w), "a rejected item should be free to queue elsewhere");
        assertTrue(elsewhere.queueDelayed(dw, Duration.ZERO));
        await(ran, "the rejected items running on another workqueue");

        d.finish();
        // drain() is not shutdown: afterwards the workqueue accepts work again.
        assertEquals(5, wq.submit(() -> 5).get(MUST_HAPPEN_S, TimeUnit.SECONDS));
    }

    /**
     * A delayed item queued from outside during drain() is refused like any other: armed, it
     * would be queued by its timer in the middle of the drain (or after it returned).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void delayedQueueingFromOutsideWhileDrainingIsRejected(WorkqueueKind kind) throws Exception {
        Workqueue wq = track(kind.create("bad-draining-delayed"));
        Draining d = startDraining(wq);
        DelayedWork dw = new DelayedWork(() -> { });
        cleanups.add(dw::cancel);
        try {
            assertThrows(RejectedExecutionException.class, () -> wq.queueDelayed(dw, Duration.ofHours(1)),
                    "queueDelayed with a delay from outside during drain() should be rejected");
            assertFalse(dw.isPending());
            assertThrows(RejectedExecutionException.class, () -> wq.modDelayed(dw, Duration.ofHours(1)),
                    "modDelayed with a delay from outside during drain() should be rejected");
            assertFalse(dw.isPending());
            assertThrows(RejectedExecutionException.class, () -> wq.schedule(() -> { }, 1, TimeUnit.HOURS),
                    "schedule from outside during drain() should be rejected");
        } finally {
            dw.cancel();
            d.finish();
        }
    }

    /* ------------------------------------------------------------------ builder */

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "   ", "\t", "\n"})
    void blankNameIsRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workqueue.builder(name));
        assertMentions(e, "builder(\"" + name + "\")", "blank");
    }

    @Test
    void nullNameAndFlagsAreRefused() {
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueue.builder(null)), "builder(null)", "name");
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueue.builder("f").flags((WqFlag[]) null)),
                "flags(null)", "flags");
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueue.builder("f").flags(WqFlag.HIGHPRI, null)),
                "flags(HIGHPRI, null)", "flag");
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueue.builder("f").affinityScope(null, false)),
                "affinityScope(null)", "scope");
    }

    @Test
    void contradictoryFlagsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workqueue.builder("both").flags(WqFlag.PERCPU, WqFlag.UNBOUND).build());
        assertMentions(e, "PERCPU with UNBOUND", "both", "PERCPU", "UNBOUND");
        e = assertThrows(IllegalArgumentException.class,
                () -> Workqueue.builder("both-2").flags(WqFlag.UNBOUND).flags(WqFlag.PERCPU).build());
        assertMentions(e, "UNBOUND then PERCPU", "both-2", "PERCPU", "UNBOUND");
        e = assertThrows(IllegalArgumentException.class,
                () -> Workqueue.builder("ordered-percpu").ordered().flags(WqFlag.PERCPU).build());
        assertMentions(e, "ordered PERCPU", "ordered-percpu", "PERCPU");
    }

    /* ------------------------------------------------------------------ executor arguments */

    @ParameterizedTest(name = "{0}")
    @EnumSource(WorkqueueKind.class)
    void nonPositivePeriodIsRefused(WorkqueueKind kind) {
        Workqueue wq = track(kind.create("bad-period"));
        for (long p : new long[] {0, -5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> wq.scheduleAtFixedRate(() -> { }, 1, p, TimeUnit.MILLISECONDS));
            assertMentions(e, "scheduleAtFixedRate period " + p, "period", String.valueOf(p));
            e = assertThrows(IllegalArgumentException.class,
                    () -> wq.scheduleWithFixedDelay(() -> { }, 1, p, TimeUnit.MILLISECONDS));
            assertMentions(e, "scheduleWithFixedDelay delay " + p, "delay", String.valueOf(p));
        }
    }

    @Test
    void twinsRefuseNonPositiveSizes() {
        record Call(String parameter, int value, Executable call) {}
        List<Call> calls = List.of(
                new Call("nThreads", 0, () -> Workqueues.newFixedThreadPool(0)),
                new Call("nThreads", -3, () -> Workqueues.newFixedThreadPool(-3, r -> new Thread(r))),
                new Call("corePoolSize", 0, () -> Workqueues.newScheduledThreadPool(0)),
                new Call("corePoolSize", -1, () -> Workqueues.newScheduledThreadPool(-1, r -> new Thread(r))),
                new Call("parallelism", 0, () -> Workqueues.newWorkStealingPool(0)));
        for (Call c : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.call(), c.parameter() + " " + c.value());
            assertMentions(e, c.parameter() + " " + c.value(), c.parameter(), String.valueOf(c.value()));
        }
    }

    /** Like Executors' factories, the twins refuse a null ThreadFactory (rather than ignore it). */
    @Test
    void twinsRefuseANullThreadFactory() {
        List<Executable> calls = List.of(
                () -> track((Workqueue) Workqueues.newFixedThreadPool(2, null)),
                () -> track((Workqueue) Workqueues.newCachedThreadPool(null)),
                () -> track((Workqueue) Workqueues.newSingleThreadExecutor(null)),
                () -> track((Workqueue) Workqueues.newScheduledThreadPool(2, null)),
                () -> track((Workqueue) Workqueues.newSingleThreadScheduledExecutor(null)));
        for (Executable c : calls) {
            NullPointerException e = assertThrows(NullPointerException.class, c, "a null ThreadFactory was accepted");
            assertMentions(e, "null ThreadFactory", "threadFactory");
        }
    }

    @Test
    void twinsRefuseAFactoryThatReturnsNull() {
        ThreadFactory broken = r -> null;
        RuntimeException e = assertThrows(RuntimeException.class, () -> track((Workqueue) Workqueues.newFixedThreadPool(2, broken)));
        assertMentions(e, "ThreadFactory returning null", "threadFactory");
    }

    @Test
    void blockingOfNullIsRefused() {
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueues.blocking((Runnable) null)), "blocking(null)", "null");
        assertMentions(assertThrows(NullPointerException.class, () -> Workqueues.blocking((Callable<?>) null)), "blocking(null)", "null");
    }

    /* ------------------------------------------------------------------ helpers */

    /** drain() running on another thread, held open by one of the workqueue's items. */
    private final class Draining {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch drained = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        void finish() throws InterruptedException {
            gate.countDown();
            await(drained, "drain() returning");
            if (failure.get() != null) {
                fail("drain() failed", failure.get());
            }
        }
    }

    private Draining startDraining(Workqueue wq) throws InterruptedException {
        Draining d = new Draining();
        cleanups.add(d.gate::countDown);
        CountDownLatch started = new CountDownLatch(1);
        assertTrue(wq.queue(new Work(() -> {
            started.countDown();
            try {
                Workqueues.blocking(() -> d.gate.await(MUST_HAPPEN_S, TimeUnit.SECONDS));
            } catch (Exception e) {
                d.failure.set(e);
            }
        })));
        await(started, "the item holding the drain open");
        Thread drainer = new Thread(() -> {
            try {
                wq.drain();
            } catch (Throwable t) {
                d.failure.set(t);
            }
            d.drained.countDown();
        }, "drainer");
        drainer.setDaemon(true);
        drainer.start();
        // drain() gives no signal when it has started refusing; wait (bounded) for the state
        // it sets, read under the lock that guards it.
        PoolWorkqueue pwq = wq.pwqs().get(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MUST_HAPPEN_S);
        for (;;) {
            pwq.pool.lock.lock();
            try {
                if (pwq.refuseExternal) {
                    break;
                }
            } finally {
                pwq.pool.lock.unlock();
            }
            if (System.nanoTime() > deadline) {
                fail("drain() never started refusing outside queueing");
            }
            Thread.yield();
        }
        assertEquals(1, d.drained.getCount(), "drain() returned while an item was running");
        return d;
    }

    private static void assertMentions(Throwable e, String what, String... words) {
        String m = e.getMessage();
        assertNotNull(m, what + ": " + e.getClass().getSimpleName() + " without a message");
        for (String word : words) {
            assertTrue(m.toLowerCase().contains(word.toLowerCase()), what + ": message should mention '" + word + "': " + m);
        }
    }
}
