package dev.jwq;

import dev.jwq.jmx.JwqRuntimeMXBean;
import dev.jwq.jmx.SysfsWorkqueueMXBean;
import dev.jwq.jmx.WorkerPoolMXBean;
import dev.jwq.jmx.WorkqueueMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Exports workqueues, pools and the runtime as MXBeans (the JVM's sysfs;
 * {@code dev.jwq:type=Workqueue,name=...}, {@code type=WorkerPool,id=...}, {@code type=Runtime}).
 *
 * <p>Registration is asynchronous, on a short-lived daemon thread {@code jwq/jmx}: the first
 * use of the platform MBean server costs a few hundred milliseconds, which must not land on
 * whoever creates the first workqueue. The thread drains the requests and exits after a second
 * without any; the next request starts it again. A workqueue whose name is already taken is
 * registered as {@code name=<name>#2} (and so on). Failures are logged once and never reach the
 * caller.
 *
 * <p>Tags (the package legend): V; X for what the {@code jwq/jmx} thread keeps.
 */
final class JmxExport implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.jwq");
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final JmxExport INSTANCE = new JmxExport();

    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>(); // V
    private final AtomicBoolean running = new AtomicBoolean();                              // V: a drainer thread is alive
    private final Map<Object, ObjectName> names = new HashMap<>();                          // X: the jwq/jmx thread
    private MBeanServer server;                                                             // X: the jwq/jmx thread
    private boolean failureLogged;                                                          // X: the jwq/jmx thread

    private JmxExport() {}

    static void workqueueCreated(Workqueue wq) {
        INSTANCE.submit(() -> INSTANCE.registerWorkqueue(wq));
    }

    static void workqueueGone(Workqueue wq) {
        INSTANCE.submit(() -> INSTANCE.unregister(wq));
    }

    static void poolCreated(WorkerPool p) {
        INSTANCE.submit(() -> INSTANCE.register(p, "dev.jwq:type=WorkerPool,id=" + p.id,
                new StandardMBean(new PoolBean(p), WorkerPoolMXBean.class, true)));
    }

    static void poolGone(WorkerPool p) {
        INSTANCE.submit(() -> INSTANCE.unregister(p));
    }

    private void submit(Runnable r) {
        requests.add(r);
        if (running.compareAndSet(false, true)) {
            Thread t = new Thread(null, this, "jwq/jmx", 0, false);
            t.setDaemon(true);
            try {
                t.start();
            } catch (Throwable e) {
                // No thread now (OutOfMemoryError "unable to create native thread", a thread
                // cap): the request stays queued for the next submit, and the caller's work
                // (creating a workqueue, a pool) goes on: JMX is never worth failing it.
                running.set(false);
                warnStartFailure(e);
            }
        }
    }

    private static final AtomicBoolean START_FAILURE_LOGGED = new AtomicBoolean(); // V

    private static void warnStartFailure(Throwable e) {
        if (START_FAILURE_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "jwq: cannot start the jwq/jmx thread (MBeans are registered later): " + e);
        }
    }

    @Override
    public void run() {
        for (;;) {
            long idleSince = System.nanoTime();
            for (Runnable r; ; ) {
                r = requests.poll();
                if (r != null) {
                    perform(r);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > LINGER_NANOS) {
                    break;
                } else {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            running.set(false);
            // A request added after the last poll but before `running` was cleared started no
            // thread: take it on again (Dekker: add then CAS, versus clear then peek).
            if (requests.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void perform(Runnable r) {
        try {
            if (server == null) {
                server = ManagementFactory.getPlatformMBeanServer();
                register("runtime", "dev.jwq:type=Runtime", new StandardMBean(new RuntimeBean(), JwqRuntimeMXBean.class, true));
                for (WorkerPool p : Pools.all()) {
                    register(p, "dev.jwq:type=WorkerPool,id=" + p.id, new StandardMBean(new PoolBean(p), WorkerPoolMXBean.class, true));
                }
            }
            r.run();
        } catch (Throwable t) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "jwq: cannot export to JMX: " + t);
            }
        }
    }

    private void registerWorkqueue(Workqueue wq) {
        if (wq.isTerminated()) {
            return;
        }
        boolean sysfs = wq.flags().contains(WqFlag.SYSFS);
        StandardMBean bean = sysfs ? new StandardMBean(new WorkqueueBean(wq), SysfsWorkqueueMXBean.class, true)
                : new StandardMBean(new WorkqueueBean(wq), WorkqueueMXBean.class, true);
        String base = "dev.jwq:type=Workqueue,name=";
        String name = wq.name();
        for (int n = 2; ; n++) {
            try {
                ObjectName on = new ObjectName(base + ObjectName.quote(name));
                if (!server.isRegistered(on)) {
                    server.registerMBean(bean, on);
                    names.put(wq, on);
                    return;
                }
            } catch (javax.management.InstanceAlreadyExistsException e) {
                // taken meanwhile by someone else: next suffix
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            name = wq.name() + "#" + n;
        }
    }

    private void register(Object key, String objectName, StandardMBean bean) {
        try {
            ObjectName on = new ObjectName(objectName);
            if (!server.isRegistered(on)) {
                server.registerMBean(bean, on);
                names.put(key, on);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void unregister(Object key) {
        ObjectName on = names.remove(key);
        if (on != null && server != null) {
            try {
                server.unregisterMBean(on);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
