package org.example.app;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import dev.jwq.spi.WorkerBlocking;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * 2 x ncpu + 2 items on one per-CPU workqueue, queued from one thread so that they share a CPU's
 * pool; all but the last park on a latch that the last one releases. They can only all finish
 * if concurrency management learns that the parked ones block: with the sampler off
 * ({@code -Djwq.blockingSampler=false}), only the agent's hooks tell it.
 */
public final class ParkOnLatch {
    public static void main(String[] args) throws Exception {
        int n = 2 * Runtime.getRuntime().availableProcessors() + 2;
        Workqueue wq = Workqueue.builder("x").flags(WqFlag.PERCPU).build();
        boolean handler = handlerInstalled();
        System.out.println("handler " + handler);
        if (!handler && args.length > 1 && args[1].equals("needs-handler")) {
            return;
        }
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            boolean last = i == n - 1;
            wq.execute(() -> {
                try {
                    if (last) {
                        release.countDown();
                    } else {
                        release.await();
                    }
                    done.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        boolean finished = done.await(Long.parseLong(args[0]), TimeUnit.SECONDS);
        System.out.println("finished " + finished + " of " + n);
        System.exit(0); // parked items of a failed run must not hold the JVM up
    }

    /** Whether the runtime has installed its side of the SPI (the lead's engine work). */
    public static boolean handlerInstalled() throws ReflectiveOperationException {
        var f = WorkerBlocking.class.getDeclaredField("handler");
        f.setAccessible(true);
        return f.get(null) != null;
    }
}
