package dev.jwq;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jwq.jfr.StatisticsSource;
import dev.jwq.jfr.Tracepoints;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The numbers behind the periodic {@code WorkqueueStatistics} and {@code PoolStatistics}
 * events (wq_monitor.py's columns): read on JFR's periodic thread, one pool lock at a time.
 * CPU time is estimated from the sampled items a recording measures, scaled by the sampling
 * rate; "repatriated" is not tracked (jwq's unbound workers never leave their pod).
 */
final class Statistics implements StatisticsSource {
    /**
     * Each workqueue's instance number, handed out when the statistics first see it, so that a
     * reader can tell apart workqueues that share a name (41 executors all called "pool").
     * Weak keys: a closed workqueue is forgotten with it. Maintenance on the caller, as FunctionNames.
     * Made when a recording first asks for statistics: Caffeine is not loaded before (1 MiB of
     * heap and 60 classes that a process without a recording need not pay).
     */
    private static final class Instances {
        static final Cache<Workqueue, Long> CACHE = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    }
    /** The last instance number handed out. */
    private final AtomicLong lastInstance = new AtomicLong();

    private Statistics() {}

    /** Registers with the JFR facade (cheap: nothing of JFR loads until a recording starts). */
    static void register() {
        Tracepoints.registerStatistics(new Statistics());
    }

    @Override
    public void workqueues(Consumer<WorkqueueCounters> sink) {
        for (Workqueue wq : WorkqueueRegistry.live()) {
            PwqCounters c = wq.counters();
            int[] items = wq.activeAndInactive();
            long instance = Instances.CACHE.get(wq, w -> lastInstance.incrementAndGet());
            sink.accept(new WorkqueueCounters(wq.name(), instance, wq.unbound, wq.rescuer != null, c.started, c.completed,
                    c.cpuTimeNanos, c.cpuIntensive, c.cmWakeups, 0, c.maydays, c.rescued,
                    wq.maxActive(), items[0], items[1]));
        }
    }

    @Override
    public void pools(Consumer<PoolCounters> sink) {
        for (WorkerPool p : Pools.all()) {
            p.lock();
            try {
                String name = p.cpu >= 0 ? "cpu " + p.cpu + (p.highPri ? " highpri" : "") : "unbound " + p.id + (p.highPri ? " highpri" : "");
                sink.accept(new PoolCounters(p.id, name, p.cpu, p.highPri, p.workers.size(), p.nrIdle(), p.nrRunning,
                        p.worklist.size(), p.completed));
            } finally {
                p.unlock();
            }
        }
    }
}
