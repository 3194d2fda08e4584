package dev.jwq;

import dev.jwq.jmx.SysfsWorkqueueMXBean;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.ToLongFunction;

/** The MXBean of one workqueue ({@link JmxExport}); its counters are sums over its pwqs, each read under its pool lock. */
final class WorkqueueBean implements SysfsWorkqueueMXBean {
    private final Workqueue wq; // I

    WorkqueueBean(Workqueue wq) {
        this.wq = wq;
    }

    private long sum(ToLongFunction<PoolWorkqueue> f) {
        long total = 0;
        for (PoolWorkqueue pwq : wq.pwqs()) {
            pwq.pool.lock.lock();
            try {
                total += f.applyAsLong(pwq);
            } finally {
                pwq.pool.lock.unlock();
            }
        }
        return total;
    }

    @Override
    public String getName() {
        return wq.name();
    }

    @Override
    public String getFlags() {
        return wq.flags().toString();
    }

    @Override
    public boolean isOrdered() {
        return wq.isOrdered();
    }

    @Override
    public String getAffinityScope() {
        AffinityScope s = wq.scope();
        return s == null ? "" : s.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean isAffinityStrict() {
        return wq.strict();
    }

    @Override
    public int getMaxActive() {
        return wq.maxActive();
    }

    @Override
    public void setMaxActive(int maxActive) {
        wq.setMaxActive(maxActive);
    }

    @Override
    public boolean isFrozen() {
        return wq.isFrozen();
    }

    @Override
    public int getActive() {
        return (int) sum(p -> p.nrActive);
    }

    @Override
    public int getInactive() {
        return (int) sum(p -> p.inactive.size());
    }

    @Override
    public long getStarted() {
        return sum(p -> p.started);
    }

    @Override
    public long getCompleted() {
        return sum(p -> p.completed);
    }

    @Override
    public long getCpuTimeNanos() {
        return sum(p -> p.cpuTimeNanos);
    }

    @Override
    public long getCpuIntensive() {
        return sum(p -> p.cpuIntensive);
    }

    @Override
    public long getCmWakeups() {
        return sum(p -> p.cmWakeups);
    }

    @Override
    public long getMaydays() {
        return sum(p -> p.maydays);
    }

    @Override
    public long getRescued() {
        return sum(p -> p.rescued);
    }

    @Override
    public String getRescuer() {
        return wq.rescuer == null ? "" : wq.rescuer.getName();
    }

    @Override
    public String getPools() {
        StringJoiner j = new StringJoiner(",");
        for (PoolWorkqueue pwq : wq.pwqs()) {
            j.add(String.valueOf(pwq.pool.id));
        }
        return j.toString();
    }
}
