package dev.jwq.samples.observe;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.Workqueues;
import dev.jwq.WqFlag;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The application the observe sample records (run with the sampler off and a 500 ms watchdog):
 * short items in bulk, items that block and say so, a CPU hog, and a pool stalled on purpose by
 * an item that parks without saying so.
 */
public final class ObservedApp {
    private ObservedApp() {}

    public static void main(String[] args) throws Exception {
        try (Workqueue orders = Workqueue.builder("orders").build();
             Workqueue io = Workqueue.builder("io").flags(WqFlag.UNBOUND).maxActive(4).build();
             Workqueue hog = Workqueue.builder("hog").flags(WqFlag.PERCPU).build();
             Workqueue stuck = Workqueue.builder("stuck").flags(WqFlag.PERCPU).build()) {
            int n = 20_000;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                orders.execute(done::countDown);
            }
            // Blocking that says so: 20 ms each, past jwq.jfc's 10 ms WorkerSleeping threshold.
            for (int i = 0; i < 100; i++) {
                io.execute(() -> Workqueues.blocking(() -> sleep(20)));
            }
            // A hog: computes for 100 ms on CPU 0's pool, past the 10 ms CPU-intensive threshold,
            // with an item waiting behind it (the monitor watches pools that have pending work).
            CountDownLatch hogging = new CountDownLatch(1);
            hog.queueOn(0, new Work(() -> {
                hogging.countDown();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }));
            hogging.await();
            hog.queueOn(0, new Work(() -> { }));
            // The orders first: past max_active (1024 per CPU) they wait inactive and join the
            // worklist later, behind whatever was queued meanwhile (the stalled item below).
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the orders did not all run: " + done.getCount() + " left");
            }
            // A stall: an item parks unreported with another queued behind it, for 1.5 s, on a
            // per-CPU pool (an unbound pool aims at a worker per CPU, so its second item would run).
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean behindRan = new AtomicBoolean();
            int cpu = 1 % Runtime.getRuntime().availableProcessors();
            stuck.queueOn(cpu, new Work(() -> await(release)));
            stuck.queueOn(cpu, new Work(() -> behindRan.set(true)));
            try {
                Thread.sleep(1500);
            } finally {
                release.countDown(); // whatever happened, the stalled item ends (close() waits for it)
            }
            io.flush();
            stuck.flush();
            if (!behindRan.get()) {
                throw new IllegalStateException("the stalled pool did not go on");
            }
            Thread.sleep(1200); // one more statistics period (1 s in jwq.jfc) after the work
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
