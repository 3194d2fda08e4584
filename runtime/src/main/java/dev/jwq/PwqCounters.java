package dev.jwq;

/**
 * The columns of wq_monitor.py that a PoolWorkqueue counts ({@code pwq->stats[PWQ_STAT_*]}).
 * A workqueue keeps the sums of its released pwqs in one of these, so its totals do not drop
 * when a change of attributes retires pwqs.
 *
 * <p>Legend: L: the pool lock of the pwq (for a workqueue's sum of released pwqs: its mutex);
 * read racily by statistics.
 */
class PwqCounters {
    long started;                             // L: items that started running
    long completed;                           // L: items that finished
    long cpuTimeNanos;                        // L: CPU time of its items, measured while a recording runs
    long cpuIntensive;                        // L: items found hogging the CPU
    long cmWakeups;                           // L: workers woken by concurrency management for its items
    long maydays;                             // L: rescues requested for it
    long rescued;                             // L: items its rescuer ran here

    /** Adds {@code other}'s counts to these. */
    void add(PwqCounters other) {
        started += other.started;
        completed += other.completed;
        cpuTimeNanos += other.cpuTimeNanos;
        cpuIntensive += other.cpuIntensive;
        cmWakeups += other.cmWakeups;
        maydays += other.maydays;
        rescued += other.rescued;
    }
}
