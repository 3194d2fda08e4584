package dev.jwq;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerFactory;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * Child of {@link JmxExportChildJvmTest}, run with {@code jwq.jmx} as the test says: makes a
 * workqueue it keeps and one it closes, runs an item on each, waits longer than the export's
 * watch period, reports whether an MBean server exists, then (unless told {@code eager}, where
 * it must already exist) makes the platform MBean server itself and reports what jwq registers,
 * and how soon: every registration is heard from the moment the server exists (it is made, and
 * the listener added, under {@code ManagementFactory}'s lock, which jwq's registration has to
 * take to get the server). Then a workqueue made and one closed with the export running.
 * Prints {@code key value} lines; exits 0 unless something it needs did not happen in time.
 */
public final class JmxExportChild {
    static final String KEPT = "jmx-kept";
    static final String GONE = "jmx-gone";
    static final String LATE = "jmx-late";
    /** Longer than {@link JmxExport#WATCH_PERIOD_NANOS}: the watch has looked at least once. */
    static final long SETTLE_MS = TimeUnit.NANOSECONDS.toMillis(JmxExport.WATCH_PERIOD_NANOS) * 3 / 2;
    static final long WAIT_S = 10;

    private JmxExportChild() {}

    public static void main(String[] args) throws Exception {
        Workqueue kept = Workqueue.builder(KEPT).build();
        run(kept);
        Workqueue gone = Workqueue.builder(GONE).build();
        run(gone);
        gone.close();
        if (!gone.isTerminated()) {
            throw new IllegalStateException(GONE + " did not terminate");
        }
        Thread.sleep(SETTLE_MS);
        System.out.println("serversBefore " + MBeanServerFactory.findMBeanServer(null).size());
        System.out.println("jmxThreadBefore " + jmxThreadAlive());

        Set<ObjectName> registered = ConcurrentHashMap.newKeySet();
        Set<ObjectName> unregistered = ConcurrentHashMap.newKeySet();
        NotificationListener listener = (n, handback) -> {
            if (n instanceof MBeanServerNotification m && m.getMBeanName().getDomain().equals("dev.jwq")) {
                (m.getType().equals(MBeanServerNotification.REGISTRATION_NOTIFICATION) ? registered : unregistered)
                        .add(m.getMBeanName());
            }
        };
        long made = System.nanoTime();
        MBeanServer server;
        synchronized (ManagementFactory.class) {
            server = ManagementFactory.getPlatformMBeanServer();
            server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
            // Whatever jwq registered before this (eager) is there already.
            registered.addAll(server.queryNames(new ObjectName("dev.jwq:*"), null));
        }
        ObjectName runtime = new ObjectName("dev.jwq:type=Runtime");
        ObjectName keptName = workqueue(KEPT);
        boolean exported = await(() -> registered.containsAll(List.of(runtime, keptName)), WAIT_S);
        System.out.println("exported " + exported);
        if (exported) {
            System.out.println("exportedAfterMs " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - made));
        } else {
            Thread.sleep(SETTLE_MS); // off: give a wrong registration its chance to show
        }
        System.out.println("pools " + registered.stream().filter(n -> "WorkerPool".equals(n.getKeyProperty("type"))).count());
        System.out.println("goneRegistered " + registered.contains(workqueue(GONE)));

        Workqueue late = Workqueue.builder(LATE).build();
        run(late);
        ObjectName lateName = workqueue(LATE);
        System.out.println("lateRegistered " + await(() -> registered.contains(lateName), exported ? WAIT_S : 0));
        late.close();
        System.out.println("lateUnregistered " + await(() -> unregistered.contains(lateName), exported ? WAIT_S : 0));
        System.out.println("keptRegistered " + server.isRegistered(keptName));
        kept.close();
    }

    private static ObjectName workqueue(String name) throws Exception {
        return new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote(name));
    }

    private static void run(Workqueue wq) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        wq.execute(ran::countDown);
        if (!ran.await(WAIT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException(wq.name() + ": the item did not run");
        }
    }

    private static boolean jmxThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jwq/jmx"));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Whether {@code check} holds within {@code seconds} (looked at every 10 ms). */
    private static boolean await(Check check, long seconds) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.holds()) {
            if (System.nanoTime() - giveUp > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
