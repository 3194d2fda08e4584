package dev.jwq;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child of {@link LoadCostChildJvmTest}: makes one workqueue, runs one item on it, lets the JMX
 * watch look for a server, prints {@code done}. The test reads which classes it loaded.
 */
public final class LoadCostChild {
    private LoadCostChild() {}

    public static void main(String[] args) throws Exception {
        Workqueue wq = Workqueue.builder("load").build();
        CountDownLatch ran = new CountDownLatch(1);
        wq.execute(ran::countDown);
        if (!ran.await(JmxExportChild.WAIT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the item did not run");
        }
        Thread.sleep(JmxExportChild.SETTLE_MS);
        System.out.println("done");
    }
}
