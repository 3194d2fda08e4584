package dev.jwq.jmx;

/**
 * A workqueue created with {@code WqFlag.SYSFS}: {@link WorkqueueMXBean} with max_active
 * writable ({@code /sys/devices/virtual/workqueue/<name>/max_active}) and, for an unbound
 * workqueue, its attributes ({@code nice}, {@code cpumask}, {@code affinity_scope},
 * {@code affinity_strict}). Each attribute written is one {@code Workqueue.applyAttributes}:
 * new items go to pools of the new attributes while items already queued finish where they are.
 */
public interface SysfsWorkqueueMXBean extends WorkqueueMXBean {
    /**
     * {@code workqueue_set_max_active}; 0 means the default, values above 2048 are clamped.
     *
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException on an ordered workqueue
     */
    void setMaxActive(int maxActive);

    /**
     * Moves an unbound workqueue to high-priority pools or back.
     *
     * @throws IllegalStateException on a per-CPU workqueue, or once it is shut down
     */
    void setHighPriority(boolean highPriority);

    /**
     * Sets an unbound workqueue's CPUs from a Linux CPU list such as {@code 0-3,8}.
     *
     * @throws IllegalArgumentException if it is not a CPU list, is empty, or names a CPU the process may not use
     * @throws IllegalStateException on a per-CPU workqueue, or once it is shut down
     */
    void setCpus(String cpuList);

    /**
     * Sets an unbound workqueue's affinity scope: {@code default}, {@code cpu}, {@code smt},
     * {@code cache}, {@code cache_shard}, {@code numa} or {@code system} (any case).
     *
     * @throws IllegalArgumentException for another name, or a scope other than system/default on an ordered workqueue
     * @throws IllegalStateException on a per-CPU workqueue, or once it is shut down
     */
    void setAffinityScope(String scope);

    /**
     * Confines an unbound workqueue's workers to their pod's CPUs (true) or lets them run on
     * any of its CPUs (false).
     *
     * @throws IllegalStateException on a per-CPU workqueue, or once it is shut down
     */
    void setAffinityStrict(boolean strict);
}
