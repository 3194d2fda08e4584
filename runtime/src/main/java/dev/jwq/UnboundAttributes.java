package dev.jwq;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attributes of an unbound workqueue ({@code struct workqueue_attrs}), read with
 * {@link Workqueue#unboundAttributes()} and changed at run time with
 * {@link Workqueue#applyAttributes(UnboundAttributes)} ({@code apply_workqueue_attrs}):
 *
 * <pre>{@code
 * wq.applyAttributes(wq.unboundAttributes().withCpus(Set.of(0, 1)).withAffinityScope(AffinityScope.CPU));
 * }</pre>
 *
 * @param highPriority  whether its workers run at raised OS priority (nice -20 where the process may)
 * @param cpus          the CPUs its items may run on ({@code cpumask}); a sorted, unmodifiable copy
 * @param affinityScope how those CPUs are split into pods, each with its own pool; {@code DEFAULT}
 *                      means {@code jwq.defaultAffinityScope}
 * @param strict        whether a pod's workers are confined to the pod's CPUs; otherwise they may
 *                      run on any of {@code cpus} and the pod only decides where items queue
 */
public record UnboundAttributes(boolean highPriority, Set<Integer> cpus, AffinityScope affinityScope, boolean strict) {
    /**
     * Checks the attributes and keeps a sorted, unmodifiable copy of {@code cpus}.
     *
     * @throws NullPointerException if {@code cpus}, one of its elements or {@code affinityScope} is null
     * @throws IllegalArgumentException if {@code cpus} is empty or holds a negative number
     */
    public UnboundAttributes {
        Objects.requireNonNull(cpus, "cpus is null");
        Objects.requireNonNull(affinityScope, "affinityScope is null");
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer cpu : cpus) {
            Objects.requireNonNull(cpu, "cpus holds null");
            if (cpu < 0) {
                throw new IllegalArgumentException("cpus holds a negative CPU number: " + cpu);
            }
            sorted.add(cpu);
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("cpus is empty: an unbound workqueue needs at least one CPU");
        }
        cpus = Collections.unmodifiableSortedSet(sorted);
    }

    /**
     * These attributes with another priority.
     *
     * @param highPriority whether its workers run at raised OS priority
     * @return the new attributes
     */
    public UnboundAttributes withHighPriority(boolean highPriority) {
        return new UnboundAttributes(highPriority, cpus, affinityScope, strict);
    }

    /**
     * These attributes with other CPUs.
     *
     * @param cpus the CPUs its items may run on
     * @return the new attributes
     */
    public UnboundAttributes withCpus(Set<Integer> cpus) {
        return new UnboundAttributes(highPriority, cpus, affinityScope, strict);
    }

    /**
     * These attributes with another affinity scope.
     *
     * @param affinityScope how the CPUs are split into pods
     * @return the new attributes
     */
    public UnboundAttributes withAffinityScope(AffinityScope affinityScope) {
        return new UnboundAttributes(highPriority, cpus, affinityScope, strict);
    }

    /**
     * These attributes with another strictness.
     *
     * @param strict whether a pod's workers are confined to the pod's CPUs
     * @return the new attributes
     */
    public UnboundAttributes withStrict(boolean strict) {
        return new UnboundAttributes(highPriority, cpus, affinityScope, strict);
    }
}
