package dev.jwq.jmx;

import java.util.Map;

/** The runtime, {@code dev.jwq:type=Runtime}: settings, topology, the dump, freezing. */
public interface JwqRuntimeMXBean {
    /** Every {@code jwq.*} setting in force, by property name. */
    Map<String, String> getSettings();

    /**
     * The worker model in force ({@code jwq.workers}): {@code virtual (carriers)} or
     * {@code platform}, and when {@code auto} fell back to platform workers, why.
     */
    String getWorkers();

    /** The usable CPUs and the pods of each affinity scope. */
    String getTopology();

    /**
     * wq_dump.py's sections: affinity scopes, worker pools, workqueue to pool mapping,
     * rescuers, unbound max_active.
     */
    String dump();

    /** {@code Workqueues.freeze()}. */
    void freeze();

    /** {@code Workqueues.thaw()}. */
    void thaw();

    /** {@code Workqueues.freezeBusy()}. */
    boolean isFreezeBusy();
}
