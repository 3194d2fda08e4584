package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The kernel's view of a thread, read the way the sampler reads it: one open reader asked again
 * and again while the thread blocks in a system call (a platform thread's socket accept), parks
 * (a futex: not claimed), runs Java code ("running") and ends.
 */
class KernelThreadStateTest {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void aReaderSeesAnAcceptAgainAndAgainButNotAParkOrAnExit() throws Exception {
        File self = KernelThreadState.syscallFileOfCurrentThread();
        assumeTrue(self != null, "needs Linux /proc/thread-self and a known futex number");
        assertTrue(self.getPath().matches("/proc/\\d+/task/\\d+/syscall"), self.getPath());

        AtomicReference<File> file = new AtomicReference<>();
        CountDownLatch resolved = new CountDownLatch(1);
        CountDownLatch spinsAfterAccept = new CountDownLatch(1);
        AtomicBoolean stopSpinning = new java.util.concurrent.atomic.AtomicBoolean();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepter = Thread.ofPlatform().start(() -> {
                file.set(KernelThreadState.syscallFileOfCurrentThread());
                resolved.countDown();
                try {
                    server.accept().close(); // a blocking accept(2): RUNNABLE to the JVM
                } catch (java.io.IOException closed) {
                    // the server closed: the thread spins, parks, then ends
                }
                EngineScenarios.awaitUninterruptibly(spinsAfterAccept);
                while (!stopSpinning.get()) {
                    Thread.onSpinWait();
                }
                LockSupport.park();
            });
            assertTrue(resolved.await(10, TimeUnit.SECONDS));
            assertNotNull(file.get());
            KernelThreadState.Reader reader = new KernelThreadState.Reader(file.get());
            try {
                // The thread reaches accept(2) at a moment of its own: ask until it is there.
                long deadline = System.nanoTime() + WAIT_NS;
                while (!reader.blockedInNativeCall()) {
                    assertTrue(System.nanoTime() < deadline, "the accept was never seen");
                    Thread.onSpinWait();
                }
                for (int i = 0; i < 100; i++) { // the same open file, read from its start each time
                    assertTrue(reader.blockedInNativeCall(), "read " + i + " of a thread still in accept");
                }
                server.close();
                spinsAfterAccept.countDown();
                long spinning = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (System.nanoTime() < spinning) {
                    assertFalse(reader.blockedInNativeCall(), "a thread that runs Java code: \"running\"");
                }
                stopSpinning.set(true);
                while (accepter.getState() != Thread.State.WAITING) {
                    assertTrue(System.nanoTime() < deadline, "the accepter never parked");
                    Thread.onSpinWait();
                }
                assertFalse(reader.blockedInNativeCall(), "a parked thread waits on a futex: no claim");
                LockSupport.unpark(accepter);
                accepter.join();
                assertFalse(reader.blockedInNativeCall(), "a thread that has ended");
                assertFalse(reader.blockedInNativeCall(), "and after a failure, nothing more is read");
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aReaderOfNoFileClaimsNothing() {
        assertFalse(new KernelThreadState.Reader(null).blockedInNativeCall());
        assertFalse(new KernelThreadState.Reader(new File("/proc/no-such-dir/syscall")).blockedInNativeCall());
        assertFalse(KernelThreadState.blockedInNativeCall(new File("/nonexistent")));
    }
}
