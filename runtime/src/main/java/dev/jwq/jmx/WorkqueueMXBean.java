package dev.jwq.jmx;

/**
 * A workqueue as JMX sees it, {@code dev.jwq:type=Workqueue,name=<name>} (the JVM's
 * {@code /sys/devices/virtual/workqueue/<name>}): its attributes and the wq_monitor.py counters.
 * Read-only; a SYSFS workqueue is exported as {@link SysfsWorkqueueMXBean}, whose max_active
 * and, if unbound, attributes may be written.
 */
public interface WorkqueueMXBean {
    String getName();

    /** Its flags, e.g. {@code [UNBOUND, MEM_RECLAIM]}. */
    String getFlags();

    boolean isOrdered();

    /** An unbound workqueue's affinity scope ({@code cpu}, {@code cache_shard}, ...), else empty. */
    String getAffinityScope();

    /** An unbound workqueue's strictness. */
    boolean isAffinityStrict();

    /** An unbound workqueue's CPUs as a Linux CPU list ({@code 0-3,8}), else empty ({@code cpumask}). */
    String getCpus();

    /** Whether its workers run at raised OS priority (HIGHPRI; for an unbound workqueue, its current attributes). */
    boolean isHighPriority();

    int getMaxActive();

    /** Whether it is FREEZABLE and frozen now. */
    boolean isFrozen();

    /** Items counted toward max_active now (on a worklist or running). */
    int getActive();

    /** Items held back by max_active (or a freeze) now. */
    int getInactive();

    /** wq_monitor "total": items that started running. */
    long getStarted();

    /** Items that finished running. */
    long getCompleted();

    /** wq_monitor "CPUtime": CPU time of its items in nanoseconds, estimated from the items a JFR recording samples (0 without one). */
    long getCpuTimeNanos();

    /** wq_monitor "CPUitsv": items found hogging the CPU. */
    long getCpuIntensive();

    /** wq_monitor "CMW": workers woken by concurrency management for its items. */
    long getCmWakeups();

    /** wq_monitor "mayday": rescues requested. */
    long getMaydays();

    /** wq_monitor "rescued": items its rescuer ran. */
    long getRescued();

    /** The rescuer thread's name ({@code jwq/R-<name>}) of a MEM_RECLAIM workqueue, else empty. */
    String getRescuer();

    /** The pools serving it, by id, e.g. {@code 0,2} or {@code 12}. */
    String getPools();
}
