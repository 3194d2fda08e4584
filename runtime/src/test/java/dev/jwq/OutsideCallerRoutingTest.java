package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.FreshThread;
import dev.jwq.cpu.NativeCpu;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a per-CPU workqueue, {@code queue(w)} from a thread that is not a jwq worker goes to a
 * nearby idle CPU's pool: that thread keeps its own CPU busy, so a worker pinned there would wait
 * for its time slice. A worker's own {@code queue(w)} stays on its CPU, {@code queueOn} goes
 * where it is told; a nearby pool running an item with nothing waiting is still chosen over the
 * caller's CPU, which is kept only when work waits on every nearby pool and the caller's CPU,
 * counted with two items more than it has, has the fewest in flight.
 */
class OutsideCallerRoutingTest {
    private static final NativeCpu NATIVE = NativeCpu.get();

    @BeforeEach
    void needsTwoCpusAndPinning() {
        assumeTrue(Cpus.count() >= 2, "needs two usable CPUs");
        assumeTrue(NATIVE.unavailableReason() == null, "needs the FFM calls to pin the calling thread");
    }

    /** Runs {@code body} on a fresh platform thread pinned to the CPU at {@code cpuIndex}. */
    private static <T> T pinnedTo(int cpuIndex, java.util.function.Supplier<T> body) {
        return FreshThread.call(() -> {
            BitSet one = new BitSet();
            one.set(Cpus.cpuAt(cpuIndex));
            assertTrue(NATIVE.pinCurrentThread(one), NATIVE::lastFailure);
            assertEquals(cpuIndex, Cpus.currentIndex(), "the caller runs on its CPU");
            return body.get();
        });
    }

    /** Queues an item that reports the CPU of the pool it runs in. */
    private static CompletableFuture<Integer> whereItRuns(Workqueue wq) {
        CompletableFuture<Integer> cpu = new CompletableFuture<>();
        assertTrue(wq.queue(new Work(() -> cpu.complete(Worker.current().pool.cpu))));
        return cpu;
    }

    @Test
    void anOutsideThreadsItemGoesToAnIdleNearbyCpu() throws Exception {
        try (Workqueue wq = Workqueue.builder("outside-idle").flags(WqFlag.PERCPU).build()) {
            // Nothing else runs in these pools now: CPU 1's is idle.
            CompletableFuture<Integer> ran = pinnedTo(0, () -> whereItRuns(wq));
            assertEquals(Cpus.cpuAt(1), ran.get(10, TimeUnit.SECONDS), "queued from CPU 0 while CPU 1's pool was idle");
        }
    }

    @Test
    void aWorkersOwnItemStaysOnItsCpu() throws Exception {
        try (Workqueue wq = Workqueue.builder("outside-worker").flags(WqFlag.PERCPU).build()) {
            CompletableFuture<CompletableFuture<Integer>> inner = new CompletableFuture<>();
            assertTrue(wq.queueOn(Cpus.cpuAt(0), new Work(() -> inner.complete(whereItRuns(wq)))));
            assertEquals(Cpus.cpuAt(0), inner.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS),
                    "an item queued by a worker of CPU 0 runs on CPU 0");
        }
    }

    @Test
    void withTheNearbyPoolsRunningAndNothingWaitingTheItemGoesNearby() throws Exception {
        try (Workqueue wq = Workqueue.builder("outside-running").flags(WqFlag.PERCPU).build()) {
            // Keep every other CPU's pool running an item (a spinner counts as running), with
            // nothing waiting behind it.
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch spinning = new CountDownLatch(Cpus.count() - 1);
            for (int i = 1; i < Cpus.count(); i++) {
                assertTrue(wq.queueOn(Cpus.cpuAt(i), new Work(() -> {
                    spinning.countDown();
                    while (!stop.get()) {
                        Thread.onSpinWait();
                    }
                })));
            }
            CompletableFuture<Integer> ran;
            try {
                assertTrue(spinning.await(10, TimeUnit.SECONDS));
                ran = pinnedTo(0, () -> whereItRuns(wq));
            } finally {
                stop.set(true);
            }
            assertEquals(Cpus.cpuAt(1), ran.get(10, TimeUnit.SECONDS),
                    "CPU 1's pool ran an item with nothing waiting: better than the caller's busy CPU");
        }
    }

    @Test
    void withMoreWaitingOnEveryNearbyPoolThanTheCallersCpuCountsTheItemStaysThere() throws Exception {
        // One more item than the penalty waits on every other CPU, none on the caller's.
        int nearby = PwqRouting.CALLERS_CPU_PENALTY + 1;
        assertEquals(Cpus.cpuAt(0), whereItRunsWithItemsWaiting("outside-busy", i -> i == 0 ? 0 : nearby),
                nearby + " items waited on every nearby pool, the caller's CPU counted as " + PwqRouting.CALLERS_CPU_PENALTY);
    }

    @Test
    void onATieTheItemStaysOnTheCallersCpu() throws Exception {
        int nearby = PwqRouting.CALLERS_CPU_PENALTY;
        assertEquals(Cpus.cpuAt(0), whereItRunsWithItemsWaiting("outside-tie", i -> i == 0 ? 0 : nearby),
                nearby + " items waited on every nearby pool; the caller's CPU had none, counted as " + nearby);
    }

    @Test
    void theCallersCpuCountsAsThePenaltyMoreInFlightThanItHas() throws Exception {
        // One item fewer than the penalty waits on every other CPU, none on the caller's: its time slice costs more.
        int nearby = PwqRouting.CALLERS_CPU_PENALTY - 1;
        assertEquals(Cpus.cpuAt(1), whereItRunsWithItemsWaiting("outside-penalty", i -> i == 0 ? 0 : nearby),
                "CPU 1 had " + nearby + " items in flight, the caller's CPU none but counted as " + PwqRouting.CALLERS_CPU_PENALTY);
    }

    @Test
    void withWorkWaitingEverywhereTheItemGoesWhereFewestAreInFlight() throws Exception {
        // The caller's CPU has one item in flight and, with the penalty, more than CPU 1's.
        int nearby = PwqRouting.CALLERS_CPU_PENALTY;
        assertEquals(Cpus.cpuAt(1), whereItRunsWithItemsWaiting("outside-fewest", i -> i == 0 ? 1 : nearby),
                "CPU 1 had " + nearby + " items in flight, the caller's CPU 1 (counted as " + (1 + PwqRouting.CALLERS_CPU_PENALTY) + ")");
    }

    /**
     * Where an item queued from CPU 0 runs while {@code waitingOn.applyAsInt(i)} items wait on the
     * CPU at index i: each pool's lock is held here while its items are queued and the item is
     * routed, so they stay waiting; the engine's unlock then serves the kicks they asked for.
     */
    private static int whereItRunsWithItemsWaiting(String name, java.util.function.IntUnaryOperator waitingOn) throws Exception {
        try (Workqueue wq = Workqueue.builder(name).flags(WqFlag.PERCPU).build()) {
            java.util.List<WorkerPool> held = new java.util.ArrayList<>();
            java.util.List<CompletableFuture<Integer>> waiting = new java.util.ArrayList<>();
            CompletableFuture<Integer> ran;
            for (int i = 0; i < Cpus.count(); i++) {
                assertEquals(Cpus.cpuAt(i), runOn(wq, i).get(10, TimeUnit.SECONDS), "the pool of CPU " + i + " is made");
            }
            // Those items reported their CPU from inside: until their ends are counted they are
            // still in flight, and one in flight too many on a CPU changes the answer.
            wq.flush();
            try {
                for (int i = 0; i < Cpus.count(); i++) {
                    WorkerPool pool = Pools.boundIfMade(i, false);
                    pool.lock.lock();
                    held.add(pool);
                    for (int k = 0; k < waitingOn.applyAsInt(i); k++) {
                        waiting.add(runOn(wq, i));
                    }
                    assertEquals(waitingOn.applyAsInt(i) == 0, pool.nothingWaits(), "items wait on CPU " + i);
                }
                ran = pinnedTo(0, () -> whereItRuns(wq));
            } finally {
                for (WorkerPool pool : held) {
                    pool.unlock();
                }
            }
            for (CompletableFuture<Integer> f : waiting) {
                f.get(10, TimeUnit.SECONDS);
            }
            return ran.get(10, TimeUnit.SECONDS);
        }
    }

    /** Queues on the CPU at {@code cpuIndex} an item that reports the CPU of the pool it runs in. */
    private static CompletableFuture<Integer> runOn(Workqueue wq, int cpuIndex) {
        CompletableFuture<Integer> cpu = new CompletableFuture<>();
        assertTrue(wq.queueOn(Cpus.cpuAt(cpuIndex), new Work(() -> cpu.complete(Worker.current().pool.cpu))));
        return cpu;
    }

    @Test
    void queueOnGoesWhereItIsTold() throws Exception {
        try (Workqueue wq = Workqueue.builder("outside-on").flags(WqFlag.PERCPU).build()) {
            CompletableFuture<Integer> ran = pinnedTo(0, () -> {
                CompletableFuture<Integer> cpu = new CompletableFuture<>();
                assertTrue(wq.queueOn(Cpus.cpuAt(0), new Work(() -> cpu.complete(Worker.current().pool.cpu))));
                return cpu;
            });
            assertEquals(Cpus.cpuAt(0), ran.get(10, TimeUnit.SECONDS), "queueOn(CPU 0) with CPU 1's pool idle");
        }
    }
}
