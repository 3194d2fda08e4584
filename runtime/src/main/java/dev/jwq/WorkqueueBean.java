package dev.jwq;

import dev.jwq.jmx.SysfsWorkqueueMXBean;
import dev.jwq.cpu.CpuLists;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.StringJoiner;

/** The MXBean of one workqueue ({@link JmxExport}); its counters are sums over its pwqs, each read under its pool lock. */
final class WorkqueueBean implements SysfsWorkqueueMXBean {
    private final Workqueue wq; // I

    WorkqueueBean(Workqueue wq) {
        this.wq = wq;
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
    public String getCpus() {
        return wq.unbound ? CpuLists.format(Cpus.bits(wq.unboundAttributes().cpus())) : "";
    }

    @Override
    public boolean isHighPriority() {
        return wq.unbound ? wq.unboundAttributes().highPriority() : wq.flags().contains(WqFlag.HIGHPRI);
    }

    @Override
    public void setHighPriority(boolean highPriority) {
        wq.applyAttributes(attributes().withHighPriority(highPriority));
    }

    @Override
    public void setCpus(String cpuList) {
        Objects.requireNonNull(cpuList, "CPU list is null");
        Set<Integer> cpus = new TreeSet<>();
        CpuLists.parse(cpuList).stream().forEach(cpus::add);
        wq.applyAttributes(attributes().withCpus(cpus));
    }

    @Override
    public void setAffinityScope(String scope) {
        Objects.requireNonNull(scope, "affinity scope is null");
        AffinityScope parsed;
        try {
            parsed = AffinityScope.valueOf(scope.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an affinity scope: \"" + scope + "\" (one of "
                    + Arrays.stream(AffinityScope.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList() + ")");
        }
        wq.applyAttributes(attributes().withAffinityScope(parsed));
    }

    @Override
    public void setAffinityStrict(boolean strict) {
        wq.applyAttributes(attributes().withStrict(strict));
    }

    /** The current attributes; a per-CPU workqueue has none (IllegalStateException naming it). */
    private UnboundAttributes attributes() {
        return wq.unboundAttributes();
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
        return wq.activeAndInactive()[0];
    }

    @Override
    public int getInactive() {
        return wq.activeAndInactive()[1];
    }

    @Override
    public long getStarted() {
        return wq.counters().started;
    }

    @Override
    public long getCompleted() {
        return wq.counters().completed;
    }

    @Override
    public long getCpuTimeNanos() {
        return wq.counters().cpuTimeNanos;
    }

    @Override
    public long getCpuIntensive() {
        return wq.counters().cpuIntensive;
    }

    @Override
    public long getCmWakeups() {
        return wq.counters().cmWakeups;
    }

    @Override
    public long getMaydays() {
        return wq.counters().maydays;
    }

    @Override
    public long getRescued() {
        return wq.counters().rescued;
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
