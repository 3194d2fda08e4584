package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import dev.jwq.spi.DaemonWorkqueues;
import java.util.concurrent.ThreadFactory;

/**
 * What an executor's ThreadFactory makes, learnt from one thread it creates and nobody starts:
 * the threads' name without its trailing counter, and whether they are plain {@code Thread}s.
 * A factory that makes threads of its own class (or of any {@code Thread} subclass: RxJava's
 * and Reactor's non-blocking threads, Netty's {@code FastThreadLocalThread}, virtual threads)
 * marks them so that code can recognise them; such an executor keeps its own threads.
 *
 * @param baseName    the name of the factory's threads without a trailing counter
 *                    ({@code okhttp-worker-3} gives {@code okhttp-worker}), or null when it says
 *                    nothing (the JDK's default factory, {@code Thread-N}, no factory, a failure)
 * @param threadClass the class of the factory's threads when it is not {@code java.lang.Thread}, else null
 * @param daemon      whether its threads are daemon threads: then the executor's work must not
 *                    keep the JVM alive under the agent either ({@code DaemonWorkqueues})
 * @param failureHandler the uncaught-exception handler of its threads when it is their own (Guava's
 *                    {@code ThreadFactoryBuilder.setUncaughtExceptionHandler}) or a thread group that
 *                    overrides {@code uncaughtException}, else null: a task failing in {@code execute}
 *                    reaches it, as it reaches the dying pool thread's handler in the JDK
 */
record FactoryProbe(String baseName, String threadClass, boolean daemon, Thread.UncaughtExceptionHandler failureHandler) {
    /** The JDK's default factory names threads pool-N-thread-M, which says nothing; it is not probed. */
    private static final String DEFAULT_FACTORY = "java.util.concurrent.Executors$DefaultThreadFactory";
    private static final FactoryProbe NOTHING = new FactoryProbe(null, null, false, null);

    static FactoryProbe of(ThreadFactory factory) {
        if (factory == null || factory.getClass().getName().equals(DEFAULT_FACTORY)) {
            return NOTHING;
        }
        Thread probe;
        try {
            probe = factory.newThread(() -> { });
        } catch (RuntimeException e) {
            return NOTHING; // the factory refuses now; it is not ours to judge here
        }
        if (probe == null) {
            return NOTHING;
        }
        String base = probe.getName().replaceAll("[-_ #]?\\d+$", "");
        String name = base.isBlank() || base.startsWith("Thread") ? null : base;
        return new FactoryProbe(name, probe.getClass() == Thread.class ? null : probe.getClass().getName(), probe.isDaemon(),
                failureHandler(probe));
    }

    /**
     * The handler a failure on one of the factory's threads goes to, unless it is a plain
     * {@code ThreadGroup}, which does what a jwq worker's does (the default handler, else the
     * JDK's "Exception in thread" print). Without it, a handler set by the factory was skipped
     * under the agent and the failure went to the default handler instead.
     */
    private static Thread.UncaughtExceptionHandler failureHandler(Thread probe) {
        Thread.UncaughtExceptionHandler h = probe.getUncaughtExceptionHandler();
        return h == null || h.getClass() == ThreadGroup.class ? null : h;
    }

    /** A builder for the workqueue of an executor with this factory, named {@code name}: unbound, daemon if its threads are. */
    Workqueue.Builder workqueue(String name) {
        Workqueue.Builder b = Workqueue.builder(name).flags(WqFlag.UNBOUND);
        return daemon ? DaemonWorkqueues.daemon(b) : b;
    }

    /** Why an executor with this factory keeps its own threads, or null if it can run on jwq. */
    String leaveAloneReason() {
        return threadClass == null ? null : "ThreadFactory making " + threadClass + " threads";
    }
}
