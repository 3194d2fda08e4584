package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.ThreadStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unbound workqueues with one PoolWorkqueue per pod of their affinity scope: items go to the
 * pod of the CPU they are queued on, strict pods confine their workers, and max_active is one
 * limit across the pods (a slot freed in one pod goes to an item waiting in another).
 */
class UnboundPodsTest extends WorkqueueFixture {
    @BeforeEach
    void needTwoPods() {
        assumeTrue(Cpus.count() >= 2 && ThreadStatus.available(), "needs two usable CPUs and /proc/thread-self");
    }

    private static String allowedListOfItemQueuedOn(Workqueue wq, int cpu) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        wq.queueOn(cpu, new Work(() -> seen.complete(ThreadStatus.allowedList() + " " + Thread.currentThread().getName())));
        return seen.get(MUST_HAPPEN_S, TimeUnit.SECONDS);
    }

    @Test
    void strictCpuScopeRunsEachItemOnAWorkerConfinedToItsPod() throws Exception {
        Workqueue wq = track(Workqueue.builder("pods-strict").flags(WqFlag.UNBOUND).affinityScope(AffinityScope.CPU, true).build());
        assumeTrue(Settings.CURRENT.pin(), "jwq.pin=false");
        for (int i = 0; i < Cpus.count(); i++) {
            int cpu = Cpus.cpuAt(i);
            String seen = allowedListOfItemQueuedOn(wq, cpu);
            assertTrue(seen.startsWith(cpu + " jwq/u"), "item queued on CPU " + cpu + " ran on " + seen);
        }
    }

    @Test
    void nonStrictScopeOnlyChoosesThePoolNotWhereItsWorkersRun() throws Exception {
        Workqueue wq = track(Workqueue.builder("pods-loose").flags(WqFlag.UNBOUND).affinityScope(AffinityScope.CPU, false).build());
        String a = allowedListOfItemQueuedOn(wq, Cpus.cpuAt(0));
        String b = allowedListOfItemQueuedOn(wq, Cpus.cpuAt(1));
        // Platform workers and carriers alike run where the workqueue may (here every CPU), not
        // on their pod's CPU alone: an unbound pool's carriers are confined together to its
        // worker mask, not pinned each to one CPU (CarrierGroup.unbound). From a virtual
        // worker, /proc/thread-self is its carrier's thread.
        assertTrue(a.startsWith(ThreadStatus.processAllowedList() + " "), a);
        assertTrue(b.startsWith(ThreadStatus.processAllowedList() + " "), b);
        // Different pods, different pools: jwq/u<pool>:<worker>.
        assertNotEquals(a.split(" ")[1].split(":")[0], b.split(" ")[1].split(":")[0], "one pool per pod");
    }

    /**
     * max_active 1 across two pods: an item queued in pod 1 waits while pod 0's item runs, and
     * starts when it ends. Repeated, alternating the pods, so that a lost hand-over (the item
     * never started) would show.
     */
    @Test
    void aSlotFreedInOnePodStartsTheItemWaitingInAnother() throws Exception {
        Workqueue wq = track(Workqueue.builder("pods-max1").flags(WqFlag.UNBOUND).affinityScope(AffinityScope.CPU, true)
                .maxActive(1).build());
        for (int round = 0; round < 100; round++) {
            int first = Cpus.cpuAt(round % 2), second = Cpus.cpuAt((round + 1) % 2);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch firstRuns = new CountDownLatch(1);
            CountDownLatch secondRan = new CountDownLatch(1);
            AtomicBoolean overlap = new AtomicBoolean();
            AtomicBoolean firstDone = new AtomicBoolean();
            wq.queueOn(first, new Work(() -> {
                firstRuns.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                firstDone.set(true);
            }));
            assertTrue(firstRuns.await(MUST_HAPPEN_S, TimeUnit.SECONDS), "round " + round + ": first item starts");
            wq.queueOn(second, new Work(() -> {
                overlap.set(!firstDone.get());
                secondRan.countDown();
            }));
            if (round % 20 == 0) {
                assertNotWithin(secondRan, "round " + round + ": max_active 1 across pods");
            }
            gate.countDown();
            assertTrue(secondRan.await(MUST_HAPPEN_S, TimeUnit.SECONDS), "round " + round + ": the freed slot went to the other pod's item");
            assertFalse(overlap.get(), "round " + round + ": two items active at once");
        }
        wq.flush();
        assertEquals(1, wq.maxActive());
    }
}
