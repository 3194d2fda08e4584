package dev.jwq;

import static dev.jwq.CarrierFixture.WAIT_S;
import static dev.jwq.CarrierFixture.await;
import static dev.jwq.CarrierFixture.joinAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What still pins a carrier, and CPU-intensive items: a compensating thread takes the carrier's
 * run queue while the pin lasts, so the other workers of that CPU go on; the pinned thread ends
 * when its continuation returns. Each case is a one-CPU group whose second worker can only run
 * if the first one's carrier is compensated, and the first can only finish after the second ran.
 */
class CarrierCompensationTest {

    /** A park inside a class initialiser cannot unmount: its carrier thread parks. */
    static final CountDownLatch CLINIT_RELEASE = new CountDownLatch(1);

    static final class PinsInItsInitialiser {
        static {
            try {
                CLINIT_RELEASE.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        static void touch() {}
    }

    @Test
    void aParkInsideAClassInitialiserGetsACompensatingCarrier() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        CarriedWorker<String> pinned = g.newWorker("pinned", "jwq/t:clinit", PinsInItsInitialiser::touch);
        pinned.thread().start();
        CarrierThread first = awaitBlockedMount(g, pinned);
        CarriedWorker<String> other = g.newWorker("other", "jwq/t:other", CLINIT_RELEASE::countDown);
        other.thread().start();
        joinAll(List.of(other, pinned));
        assertEquals(1, g.compensations());
        assertEquals(2, g.threadsStarted());
        await("the pinned carrier thread ends once free", () -> !first.isAlive());
        assertNotEquals(first, g.carriers().get(0).drainer);
        assertEquals("jwq/ctest." + Cpus.cpuAt(0) + "+1", g.carriers().get(0).drainer.getName());
        await("terminated", () -> rec.count("pinned", "terminated") == 1);
        rec.assertConsistent();
    }

    @Test
    void aBlockingNativeReadGetsACompensatingCarrier() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
        assumeTrue(KernelThreadState.syscallFileOfCurrentThread() != null, "the kernel's view of threads");
        Map<String, Path> before = openPipes();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            // /proc/self/fd/N of the new pipe: opening it for reading gives a read end of it.
            Map<String, Path> after = openPipes();
            after.keySet().removeAll(before.keySet());
            assertEquals(1, after.size(), "one new pipe: " + after);
            Path readEnd = after.values().iterator().next();
            CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
            CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
            AtomicInteger read = new AtomicInteger(-2);
            // FileInputStream.read blocks in read(2) on the carrier: the JDK compensates only
            // its own ForkJoinPool's carriers for file I/O.
            CarriedWorker<String> pinned = g.newWorker("reader", "jwq/t:read", () -> {
                try (FileInputStream in = new FileInputStream(readEnd.toFile())) {
                    read.set(in.read());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            pinned.thread().start();
            CarrierThread first = awaitBlockedMount(g, pinned);
            CarriedWorker<String> writer = g.newWorker("writer", "jwq/t:write", () -> {
                try {
                    sink.write(ByteBuffer.wrap(new byte[] {42}));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            writer.thread().start();
            joinAll(List.of(writer, pinned));
            assertEquals(42, read.get());
            assertEquals(1, g.compensations());
            await("the pinned carrier thread ends once free", () -> !first.isAlive());
        }
    }

    @Test
    void compensateLetsTheOtherWorkersOfACpuRunBesideACpuIntensiveOne() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        CarriedWorker<String> hog = g.newWorker("hog", "jwq/t:hog", () -> {
            spinning.countDown();
            while (stop.getCount() > 0) {
                Thread.onSpinWait(); // never unmounts: a CPU-intensive item
            }
        });
        CarriedWorker<String> notMounted = g.newWorker("idle", "jwq/t:idle", () -> {});
        assertFalse(notMounted.compensate(), "not started, not mounted: nothing to compensate");
        hog.thread().start();
        assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS));
        CarrierThread first = hog.mountedOn();
        assertTrue(hog.compensate(), "the engine found the item CPU-intensive");
        assertFalse(hog.compensate(), "one compensation per mount");
        CarriedWorker<String> other = g.newWorker("other", "jwq/t:other", stop::countDown);
        other.thread().start();
        joinAll(List.of(other, hog));
        assertEquals(1, g.compensations());
        await("the hog's carrier thread ends when its continuation returns", () -> !first.isAlive());
        notMounted.thread().start();
        joinAll(List.of(notMounted));
        assertEquals(2, g.threadsStarted());
    }

    /**
     * Waits until {@code w} is mounted and its carrier thread blocked (the pin has begun);
     * returns that thread.
     */
    private static CarrierThread awaitBlockedMount(CarrierGroup<?> g, CarriedWorker<?> w) throws InterruptedException {
        await("a pinned mount of " + w, () -> {
            CarrierThread t = w.mountedOn();
            return t != null && t.blocked();
        });
        CarrierThread t = w.mountedOn();
        assertNotNull(t);
        assertEquals(0, g.compensations(), "nothing queued behind the pin yet: no compensation");
        return t;
    }

    /** Pipe targets ({@code pipe:[inode]}) of this process's open descriptors, with one descriptor of each. */
    private static Map<String, Path> openPipes() throws IOException {
        Map<String, Path> pipes = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("pipe:")) {
                        pipes.put(target, fd);
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor): not ours
                }
            }
        }
        return pipes;
    }
}
