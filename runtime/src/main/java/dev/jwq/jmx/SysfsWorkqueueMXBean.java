package dev.jwq.jmx;

/**
 * A workqueue created with {@code WqFlag.SYSFS}: {@link WorkqueueMXBean} with max_active
 * writable ({@code /sys/devices/virtual/workqueue/<name>/max_active}).
 */
public interface SysfsWorkqueueMXBean extends WorkqueueMXBean {
    /**
     * {@code workqueue_set_max_active}; 0 means the default, values above 2048 are clamped.
     *
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException on an ordered workqueue
     */
    void setMaxActive(int maxActive);
}
