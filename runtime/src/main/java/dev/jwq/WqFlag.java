package dev.jwq;

/**
 * Flags of a workqueue, as {@code alloc_workqueue()} takes them in Linux.
 * A workqueue is {@link #UNBOUND} unless {@link #PERCPU} is given (Linux added {@code WQ_PERCPU}
 * in 2025 to make the same flip).
 */
public enum WqFlag {
    /** Items run on the pool of the CPU they were queued on. */
    PERCPU,
    /** Items run on unbound pools shared by workqueues with equal attributes, spanning many CPUs (the default). */
    UNBOUND,
    /** Items stop starting while the runtime is frozen ({@link Workqueues#freeze()}). */
    FREEZABLE,
    /** Forward progress is guaranteed by a rescuer thread when no worker can be created. */
    MEM_RECLAIM,
    /** Items run on the high-priority pools. */
    HIGHPRI,
    /** Items do not count toward concurrency management: they never hold back other items of the pool. */
    CPU_INTENSIVE,
    /** Expose the workqueue as a writable JMX MBean (the JVM's sysfs). */
    SYSFS,
    /**
     * With {@link #PERCPU}: per-CPU, except in power-efficient mode ({@code -Djwq.powerEfficient=true},
     * Linux's {@code workqueue.power_efficient}), where the workqueue is unbound instead, so that
     * its items need not wake an idle CPU. jwq has no other power mode; without PERCPU the flag
     * changes nothing (the workqueue is unbound anyway).
     */
    POWER_EFFICIENT
}
