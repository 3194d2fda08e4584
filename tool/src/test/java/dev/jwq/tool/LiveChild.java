package dev.jwq.tool;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * The JVM that {@code top} and {@code dump} attach to. {@code jwq}: creates the workqueues below,
 * runs a known number of items on each, leaves one item of {@code cli-busy} running, waits until
 * the runtime has exported them all over JMX, then prints {@code PID <pid>}. {@code plain}: never
 * touches jwq, prints its PID at once. Either way it exits when its stdin closes.
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
        Set<ObjectName> expected = ConcurrentHashMap.newKeySet();
        expected.add(new ObjectName("dev.jwq:type=Runtime"));
        for (String wq : new String[] {SYSFS, RECLAIM, PLAIN, BUSY}) {
            expected.add(new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote(wq)));
        }
        CountDownLatch exported = new CountDownLatch(1);
        // Registration is asynchronous: listen for it (before anything can register) instead of polling.
        NotificationListener onRegistration = (n, handback) -> {
            if (n instanceof MBeanServerNotification m
                    && n.getType().equals(MBeanServerNotification.REGISTRATION_NOTIFICATION)
                    && expected.remove(m.getMBeanName()) && expected.isEmpty()) {
                exported.countDown();
            }
        };
        ManagementFactory.getPlatformMBeanServer()
                .addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, onRegistration, null, null);

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
        if (!started.await(30, TimeUnit.SECONDS) || !exported.await(30, TimeUnit.SECONDS)) {
            System.err.println("LiveChild: not ready after 30 s; missing MBeans " + expected);
            System.exit(3);
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
