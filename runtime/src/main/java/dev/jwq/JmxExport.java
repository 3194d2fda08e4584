package dev.jwq;

import dev.jwq.jmx.JwqRuntimeMXBean;
import dev.jwq.jmx.SysfsWorkqueueMXBean;
import dev.jwq.jmx.WorkerPoolMXBean;
import dev.jwq.jmx.WorkqueueMXBean;
import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Exports workqueues, pools and the runtime as MXBeans (the JVM's sysfs;
 * {@code dev.jwq:type=Workqueue,name=...}, {@code type=WorkerPool,id=...}, {@code type=Runtime}).
 *
 * <p>When ({@code jwq.jmx}). {@code auto}, the default: once the platform MBean server exists.
 * Making it costs a process 12-15 MiB (the server, every platform MXBean, the JFR one parsing
 * the JFR configurations, a young collection's worth of garbage), which most processes that use
 * workqueues never need; whoever does need it makes it: the application or its framework, a JMX
 * agent ({@code -Dcom.sun.management.jmxremote}, {@code jcmd PID ManagementAgent.start}), or a
 * tool that attaches ({@code jwq top}, JConsole, JMC) and starts the local management agent.
 * The server cannot be asked whether it exists without making it, but it is made through
 * {@link MBeanServerFactory}, which lists the servers it made ({@code findMBeanServer(null)}, a
 * copy of a list under a lock): a {@link ServerWatch} on the shared timer wheel looks every
 * {@link #WATCH_PERIOD_NANOS}, from the first workqueue or pool on, until it is there. So
 * beans appear within about a second of a JConsole connecting, and {@code jwq top} waits for
 * them. {@code eager}: the first workqueue or pool makes the server. {@code off}: never.
 *
 * <p>Nothing is queued while waiting (a process that never exports would keep every workqueue
 * it ever made): once the server is seen, the first registration takes what is alive then,
 * {@link Pools#all()} and {@link WorkqueueRegistry#live()}, and from then on each creation and
 * termination is a request. Whether a creation or termination is a request is decided under
 * J after the object has joined or left its registry, and the switch to exporting is made under
 * J before the registries are read: either the event sees the switch and asks, or the first
 * registration sees the registry as the event left it (a workqueue gone before the server
 * appeared is never registered; registering twice, by the catch-up and by a request, is
 * skipped).
 *
 * <p>Registration is asynchronous, on a short-lived daemon thread {@code jwq/jmx}: the first
 * use of the platform MBean server costs a few hundred milliseconds, which must not land on
 * whoever creates the first workqueue. The thread drains the requests and exits after a second
 * without any; the next request starts it again. A workqueue whose name is already taken is
 * registered as {@code name=<name>#2} (and so on). Failures are logged once and never reach the
 * caller.
 *
 * <p>Tags (the package legend): V; J: this class's monitor, a leaf (taken under P or a pool
 * lock, nothing taken under it); X for what the {@code jwq/jmx} thread keeps.
 */
final class JmxExport implements Runnable {
    private static final System.Logger LOG = Log.LOG;
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often {@code auto} looks for the platform MBean server until it is there. */
    static final long WATCH_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Settings.Jmx MODE = Settings.CURRENT.jmx();
    private static final JmxExport INSTANCE = new JmxExport();

    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>(); // V
    private final AtomicBoolean running = new AtomicBoolean();                              // V: a drainer thread is alive
    private final Map<Object, ObjectName> names = new HashMap<>();                          // X: the jwq/jmx thread
    private MBeanServer server;                                                             // X: the jwq/jmx thread
    private boolean failureLogged;                                                          // X: the jwq/jmx thread
    /** J: creations and terminations are requests (the server exists, or {@code eager}). */
    private boolean exporting = MODE == Settings.Jmx.EAGER;
    /** J: the {@link ServerWatch} has been armed (once). */
    private boolean watching;

    private JmxExport() {}

    static void workqueueCreated(Workqueue wq) {
        if (INSTANCE.asks()) {
            INSTANCE.submit(() -> INSTANCE.registerWorkqueue(wq));
        }
    }

    static void workqueueGone(Workqueue wq) {
        if (INSTANCE.asks()) {
            INSTANCE.submit(() -> INSTANCE.unregister(wq));
        }
    }

    static void poolCreated(WorkerPool p) {
        if (INSTANCE.asks()) {
            INSTANCE.submit(() -> INSTANCE.registerPool(p));
        }
    }

    static void poolGone(WorkerPool p) {
        if (INSTANCE.asks()) {
            INSTANCE.submit(() -> INSTANCE.unregister(p));
        }
    }

    /**
     * Whether an event (the object has already joined or left its registry) is a request: yes
     * once exporting; before that no, and the first event arms the watch for the server.
     */
    private boolean asks() {
        if (MODE == Settings.Jmx.OFF) {
            return false;
        }
        boolean arm;
        synchronized (this) {
            if (exporting) {
                return true;
            }
            arm = !watching;
            watching = true;
        }
        if (arm) {
            // Looked for on the timer thread, not on the caller's.
            if (!ServerWatch.arm(new ServerWatch(), 0)) {
                synchronized (this) {
                    watching = false; // the next event tries again
                }
            }
        }
        return false;
    }

    /** The platform MBean server exists: from now on events are requests; the first one catches up. */
    private void startExporting() {
        synchronized (this) {
            exporting = true;
        }
        submit(() -> { }); // perform() registers whatever is alive before running it
    }

    /**
     * T: looks for the platform MBean server every {@link #WATCH_PERIOD_NANOS} until it is
     * there, then starts the export; runs on the timer thread (no thread of its own).
     */
    private static final class ServerWatch extends Timer {
        @Override
        protected void expire() {
            boolean found;
            try {
                found = platformServerExists();
            } catch (Throwable t) {
                found = false; // looked for again next period
            }
            if (found) {
                INSTANCE.startExporting();
            } else if (!arm(this, WATCH_PERIOD_NANOS)) {
                synchronized (INSTANCE) {
                    INSTANCE.watching = false; // the next event tries again
                }
            }
        }

        /**
         * Arms {@code w}; false if the wheel refused (no timer thread could be started): the
         * caller's work goes on, JMX is never worth failing it.
         */
        static boolean arm(ServerWatch w, long delayNanos) {
            try {
                TimerWheel.shared().arm(w, delayNanos);
                return true;
            } catch (Throwable t) {
                warnStartFailure(t);
                return false;
            }
        }
    }

    /**
     * Whether the platform MBean server has been made, without making it: it is one of the
     * servers {@link MBeanServerFactory} made (the JDK's {@code getPlatformMBeanServer} makes it
     * there), the one with the platform MXBeans in it (an application may make private ones).
     */
    static boolean platformServerExists() {
        for (MBeanServer s : MBeanServerFactory.findMBeanServer(null)) {
            if (s.isRegistered(PlatformNames.RUNTIME)) {
                return true;
            }
        }
        return false;
    }

    /** Loaded when a server has been found: the name of the platform runtime MXBean. */
    private static final class PlatformNames {
        static final ObjectName RUNTIME;

        static {
            try {
                RUNTIME = new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
            } catch (javax.management.MalformedObjectNameException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
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
            LOG.log(System.Logger.Level.WARNING, "jwq: cannot start the jwq/jmx thread or the watch for the MBean server"
                    + " (MBeans are registered later): " + e);
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
                // Whatever is alive now: with auto, what was made before the server appeared.
                for (WorkerPool p : Pools.all()) {
                    registerPool(p);
                }
                for (Workqueue wq : WorkqueueRegistry.live()) {
                    registerWorkqueue(wq);
                }
                // Last: `jwq top` and `dump` wait for this bean, then list the others; first, it
                // let them list the pools without the workqueues (a clean-clone CI run).
                register("runtime", "dev.jwq:type=Runtime", new StandardMBean(new RuntimeBean(), JwqRuntimeMXBean.class, true));
            }
            r.run();
        } catch (Throwable t) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "jwq: cannot export to JMX: " + t);
            }
        }
    }

    private void registerPool(WorkerPool p) {
        register(p, "dev.jwq:type=WorkerPool,id=" + p.id, new StandardMBean(new PoolBean(p), WorkerPoolMXBean.class, true));
    }

    private void registerWorkqueue(Workqueue wq) {
        if (wq.isTerminated() || names.containsKey(wq)) {
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
        if (names.containsKey(key)) {
            return;
        }
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
