package dev.jwq.tool;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;

/**
 * The JVM that {@code top} and {@code dump} attach to. {@code jwq}: creates the workqueues below,
 * runs a known number of items on each, leaves one item of {@code cli-busy} running, checks that
 * no MBean server exists (jwq exports once the attaching tool's agent has made the platform one;
 * the tool waits for that), then prints {@code PID <pid>}. {@code plain}: never touches jwq,
 * prints its PID at once. Either way it exits when its stdin closes.
 */
public final class LiveChild {
    static final String SYSFS = "cli-sysfs";       // per-CPU, SYSFS
    static final String RECLAIM = "cli-reclaim";   // unbound, MEM_RECLAIM
    static final String PLAIN = "cli-plain";       // per-CPU
    static final String BUSY = "cli-busy";         // unbound: one item blocked until stdin closes
    static final int SYSFS_ITEMS = 37;
    static final int RECLAIM_ITEMS = 23;
    static final int PLAIN_ITEMS = 11;

    private LiveChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("jwq")) {
            runWorkqueues();
        } else {
            announce();
            awaitStdinClosed();
        }
    }

    private static void runWorkqueues() throws Exception {
        Workqueue sysfs = Workqueue.builder(SYSFS).flags(WqFlag.PERCPU, WqFlag.SYSFS).build();
        Workqueue reclaim = Workqueue.builder(RECLAIM).flags(WqFlag.UNBOUND, WqFlag.MEM_RECLAIM).build();
        Workqueue plain = Workqueue.builder(PLAIN).build();
        Workqueue busy = Workqueue.builder(BUSY).flags(WqFlag.UNBOUND).build();
        run(sysfs, SYSFS_ITEMS);
        run(reclaim, RECLAIM_ITEMS);
        run(plain, PLAIN_ITEMS);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        busy.queue(new Work(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        if (!started.await(30, TimeUnit.SECONDS)) {
            System.err.println("LiveChild: " + BUSY + "'s item did not start in 30 s");
            System.exit(3);
        }
        if (!MBeanServerFactory.findMBeanServer(null).isEmpty()) {
            System.err.println("LiveChild: an MBean server exists before any tool attached (jwq.jmx=auto must not make it)");
            System.exit(4);
        }
        announce();
        awaitStdinClosed();
        release.countDown();
        busy.close();
    }

    private static void run(Workqueue wq, int items) {
        for (int i = 0; i < items; i++) {
            wq.queue(new Work(() -> { }));
        }
        wq.flush(); // every item's completion is counted before flush returns
    }

    private static void announce() {
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
    }

    private static void awaitStdinClosed() throws IOException {
        while (System.in.read() >= 0) {
            // the test holds stdin open while it needs this JVM
        }
    }
}
