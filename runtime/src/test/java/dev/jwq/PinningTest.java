package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.CpuLists;
import dev.jwq.cpu.FreshThread;
import dev.jwq.cpu.NativeCpu;
import dev.jwq.cpu.ThreadStatus;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Workers run where their pool says: read back from /proc/thread-self inside work items.
 * {@link PinningChildJvmTest} covers taskset and the refused / unavailable paths.
 */
class PinningTest {
    private static final NativeCpu NATIVE = NativeCpu.get();

    private static void assumeNativeCalls() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && Runtime.version().feature() >= 22
                && ThreadStatus.available(), "pinning is read back on Linux with Java 22+");
        assertNull(NATIVE.unavailableReason(), "the FFM calls must load here");
    }

    /**
     * The engine's call of WorkerPlacement.apply as the first statement of Worker.run(); until it
     * is in, the tests that need it are skipped (not passed). Call after a worker ran an item.
     */
    static void requireWorkersArePlaced() {
        assertTrue(WorkerPlacement.placed() > 0, "Worker.run() must call WorkerPlacement.apply(this)");
    }

    /** The nice value a high-priority worker should get here: what a fresh thread achieves. */
    private static int expectedHighPriNice() {
        return FreshThread.call(() -> {
            NATIVE.raiseCurrentThreadPriority();
            return ThreadStatus.nice();
        });
    }

    @Test
    void usableCpusAreTheProcessAffinity() {
        assumeNativeCalls();
        BitSet usable = Cpus.usableSet();
        assertEquals(NATIVE.allowedCpus(), usable);
        assertEquals(ThreadStatus.processAllowedList(), CpuLists.format(usable));
        assertEquals(usable.cardinality(), Cpus.count());
        assertEquals(usable, Cpus.topology().cpus());
    }

    @Test
    void currentIndexFollowsTheCpuTheThreadRunsOn() {
        assumeNativeCalls();
        // Off a worker, the index comes from sched_getcpu: a thread moved from CPU to CPU sees
        // each one (a per-thread fallback would give one index for all).
        String seen = FreshThread.call(() -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Cpus.count(); i++) {
                BitSet one = new BitSet();
                one.set(Cpus.cpuAt(i));
                assertTrue(NATIVE.pinCurrentThread(one), NATIVE::lastFailure);
                sb.append(Cpus.currentIndex()).append(' ');
            }
            return sb.toString().trim();
        });
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < Cpus.count(); i++) {
            expected.append(i).append(' ');
        }
        assertEquals(expected.toString().trim(), seen);
    }

    @Test
    void itemsQueuedOnACpuRunPinnedToItOnEveryWorker() throws Exception {
        assumeNativeCalls();
        assumeTrue(Settings.CURRENT.pin(), "jwq.pin=false");
        try (Workqueue wq = Workqueue.builder("pinning").flags(WqFlag.PERCPU).build()) {
            for (int i = 0; i < Cpus.count(); i++) {
                int cpu = Cpus.cpuAt(i);
                // The first item blocks (through the explicit API) until the second has run, so
                // the second runs on another worker of the pool: both must be pinned.
                CountDownLatch secondRan = new CountDownLatch(1);
                CompletableFuture<String> first = new CompletableFuture<>();
                CompletableFuture<String> second = new CompletableFuture<>();
                Work blocker = new Work(() -> {
                    String where = whereAmI();
                    Workqueues.blocking(() -> {
                        try {
                            secondRan.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    first.complete(where);
                });
                Work next = new Work(() -> {
                    second.complete(whereAmI());
                    secondRan.countDown();
                });
                assertTrue(wq.queueOn(cpu, blocker));
                assertTrue(wq.queueOn(cpu, next));
                String a = first.get(30, SECONDS);
                String b = second.get(30, SECONDS);
                requireWorkersArePlaced();
                assertPlaced(a, "jwq/" + cpu + ":", String.valueOf(cpu));
                assertPlaced(b, "jwq/" + cpu + ":", String.valueOf(cpu));
                assertNotEquals(a.split(" ")[0], b.split(" ")[0], "both items ran on one worker");
            }
        }
    }

    @Test
    void highPriorityWorkersArePinnedAndGetTheBestNiceValue() throws Exception {
        assumeNativeCalls();
        assumeTrue(Settings.CURRENT.pin(), "jwq.pin=false");
        int nice = expectedHighPriNice();
        try (Workqueue wq = Workqueue.builder("pinning-highpri").flags(WqFlag.PERCPU, WqFlag.HIGHPRI).build()) {
            for (int i = 0; i < Cpus.count(); i++) {
                int cpu = Cpus.cpuAt(i);
                CompletableFuture<String> seen = new CompletableFuture<>();
                assertTrue(wq.queueOn(cpu, new Work(() -> seen.complete(whereAmI() + " " + ThreadStatus.nice()))));
                String s = seen.get(30, SECONDS);
                requireWorkersArePlaced();
                assertPlaced(s, "jwq/" + cpu + ":", String.valueOf(cpu));
                String[] parts = s.split(" ");
                assertTrue(parts[0].endsWith("H"), s);
                assertEquals(String.valueOf(nice), parts[2], "nice of " + s);
            }
        }
    }

    @Test
    void placingAThreadPinsItAndRaisesItsPriority() {
        assumeNativeCalls();
        int nice = expectedHighPriNice();
        for (int i = 0; i < Cpus.count(); i++) {
            int cpu = Cpus.cpuAt(i);
            BitSet one = new BitSet();
            one.set(cpu);
            assertEquals(cpu + " " + nice, FreshThread.call(() -> {
                WorkerPlacement.placeCurrentThread(one, true);
                return ThreadStatus.allowedList() + " " + ThreadStatus.nice();
            }));
        }
        // No CPUs and not high-priority: the thread stays as it was.
        String process = ThreadStatus.processAllowedList();
        int normal = ThreadStatus.nice();
        assertEquals(process + " " + normal, FreshThread.call(() -> {
            WorkerPlacement.placeCurrentThread(null, false);
            return ThreadStatus.allowedList() + " " + ThreadStatus.nice();
        }));
    }

    @Test
    void aWarningIsGivenOncePerReason() {
        String reason = "jwq: test reason " + System.nanoTime();
        assertTrue(WorkerPlacement.warnOnce(reason));
        assertFalse(WorkerPlacement.warnOnce(reason));
        assertTrue(WorkerPlacement.warnOnce(reason + " (another)"));
    }

    /** "thread-name allowed-list" of the calling thread. */
    static String whereAmI() {
        return Thread.currentThread().getName() + " " + ThreadStatus.allowedList();
    }

    private static void assertPlaced(String seen, String namePrefix, String allowed) {
        String[] parts = seen.split(" ");
        assertTrue(parts[0].startsWith(namePrefix), () -> seen + " is not a worker named " + namePrefix + "*");
        assertEquals(allowed, parts[1], () -> seen + ": Cpus_allowed_list");
    }
}
