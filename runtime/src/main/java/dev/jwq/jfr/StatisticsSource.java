package dev.jwq.jfr;

import java.util.function.Consumer;

/**
 * Where the periodic statistics events get their numbers: the runtime implements it and hands it
 * to {@link Tracepoints#registerStatistics}. Called on JFR's periodic thread, once per period
 * per event type, only while a recording wants the event; counters may be read racily.
 */
public interface StatisticsSource {
    /** Passes one {@link WorkqueueCounters} per live workqueue to {@code sink}. */
    void workqueues(Consumer<WorkqueueCounters> sink);

    /** Passes one {@link PoolCounters} per live worker pool to {@code sink}. */
    void pools(Consumer<PoolCounters> sink);

    /**
     * One workqueue's counters; cumulative ones since the workqueue's creation, summed over its
     * PoolWorkqueues as wq_monitor.py does.
     *
     * @param instance     tells workqueues of the same name apart (unique per workqueue in the JVM)
     * @param started      items that started running (wq_monitor "total")
     * @param completed    items that finished ("infl" = started - completed)
     * @param cpuTimeNanos CPU time used by its items ("CPUtime")
     * @param cpuIntensive items found hogging the CPU past the threshold ("CPUitsv")
     * @param cmWakeups    workers woken by concurrency management while its items ran ("CMW")
     * @param repatriated  unbound workers brought back into scope ("RPR"; 0 if not tracked)
     * @param maydays      rescuer requests ("mayday")
     * @param rescued      items its rescuer ran ("rescued")
     * @param maxActive    its current max_active
     * @param active       items counted toward max_active now
     * @param inactive     items held back by max_active now
     */
    record WorkqueueCounters(String name, long instance, boolean unbound, boolean memReclaim, long started,
                             long completed, long cpuTimeNanos, long cpuIntensive, long cmWakeups, long repatriated,
                             long maydays, long rescued, int maxActive, int active, int inactive) {
        /** Counters of a workqueue whose name no other shares (instance 0). */
        public WorkqueueCounters(String name, boolean unbound, boolean memReclaim, long started, long completed,
                                 long cpuTimeNanos, long cpuIntensive, long cmWakeups, long repatriated,
                                 long maydays, long rescued, int maxActive, int active, int inactive) {
            this(name, 0, unbound, memReclaim, started, completed, cpuTimeNanos, cpuIntensive, cmWakeups,
                    repatriated, maydays, rescued, maxActive, active, inactive);
        }
    }

    /**
     * One pool's state.
     *
     * @param name      e.g. {@code "cpu 3"}, {@code "cpu 3 highpri"}, {@code "unbound 8"}
     * @param cpu       the CPU of a bound pool, -1 for an unbound one
     * @param running   nr_running
     * @param pending   items on the worklist
     * @param completed items finished since the pool was created
     */
    record PoolCounters(int id, String name, int cpu, boolean highPriority, int workers, int idle,
                        int running, int pending, long completed) {
    }
}
