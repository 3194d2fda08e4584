package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 16 with the default settings (the sampler and CPU-hog detection on), and the
 * ManagedBlocker adapter. The variants with one source of blocking alone, and the controls, run
 * in child JVMs ({@link EngineGuaranteesTest}).
 */
class ConcurrencyManagementTest {
    private static final long WAIT_S = 10;

    @Test
    void aSpinningItemHoldsItsPoolOnlyUntilItIsFoundCpuIntensive() throws Exception {
        try (Workqueue spin = Workqueue.builder("spinner").flags(WqFlag.PERCPU).build();
             Workqueue other = Workqueue.builder("behind-the-spinner").flags(WqFlag.PERCPU).build()) {
            AtomicBoolean otherStarted = new AtomicBoolean();
            AtomicBoolean gaveUp = new AtomicBoolean();
            CountDownLatch spinning = new CountDownLatch(1);
            long[] delayNanos = new long[1];
            spin.queueOn(Cpus.cpuAt(0), new Work(() -> {
                spinning.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                while (!otherStarted.get()) {
                    if (System.nanoTime() - deadline > 0) {
                        gaveUp.set(true);
                        return;
                    }
                    Thread.onSpinWait();
                }
            }));
            assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS));
            CountDownLatch otherRan = new CountDownLatch(1);
            long queuedAt = System.nanoTime();
            other.queueOn(Cpus.cpuAt(0), new Work(() -> {
                delayNanos[0] = System.nanoTime() - queuedAt;
                otherStarted.set(true);
                otherRan.countDown();
            }));
            assertTrue(otherRan.await(WAIT_S + 5, TimeUnit.SECONDS));
            spin.flush();
            assertFalse(gaveUp.get(), "the item behind a spinning one started while it still spun");
            System.out.printf("item behind a spinner started after %.1f ms (threshold %d ms)%n",
                    delayNanos[0] / 1e6, PoolMonitor.CPU_INTENSIVE_THRESHOLD_NANOS / 1_000_000);
        }
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
}
