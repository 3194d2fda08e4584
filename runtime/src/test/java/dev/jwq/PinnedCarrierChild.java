package dev.jwq;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child of {@link PinnedCarrierTest}: on CPU 0 of a per-CPU workqueue, item A parks inside a
 * class initialiser, which pins its carrier (the continuation cannot unmount there); item B,
 * queued on the same CPU after A, is what A waits for. Only a compensating carrier lets B run.
 * Prints "B ran" and "A ended" and exits 0 when both happened in time, else exits 1.
 */
public final class PinnedCarrierChild {
    /** How long each side waits: 20 s, or -Dpinned.waitS (the control, which must time out, waits less). */
    static final long waitSeconds = Long.getLong("pinned.waitS", 20);
    static final CountDownLatch A_STARTED = new CountDownLatch(1);
    static final CountDownLatch B_RAN = new CountDownLatch(1);

    private PinnedCarrierChild() {}

    /** Its initialiser waits for B: a park the carrier cannot unmount from. */
    static final class WaitsForB {
        static final boolean DONE;

        static {
            A_STARTED.countDown();
            boolean ok;
            try {
                ok = B_RAN.await(waitSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                ok = false;
            }
            DONE = ok;
        }
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch aEnded = new CountDownLatch(1);
        boolean[] aSawB = new boolean[1];
        try (Workqueue wq = Workqueue.builder("pinned").flags(WqFlag.PERCPU).build()) {
            int cpu = Cpus.cpuAt(0);
            wq.queueOn(cpu, new Work(() -> {
                aSawB[0] = WaitsForB.DONE;
                aEnded.countDown();
            }));
            if (!A_STARTED.await(20, TimeUnit.SECONDS)) {
                System.out.println("A never started");
                System.exit(1);
            }
            wq.queueOn(cpu, new Work(B_RAN::countDown));
            boolean bRan = B_RAN.await(waitSeconds, TimeUnit.SECONDS);
            System.out.println(bRan ? "B ran" : "B did not run");
            boolean ended = aEnded.await(waitSeconds + 20, TimeUnit.SECONDS);
            System.out.println(ended && aSawB[0] ? "A ended" : "A did not end after B");
            System.exit(bRan && ended && aSawB[0] ? 0 : 1);
        }
    }
}
