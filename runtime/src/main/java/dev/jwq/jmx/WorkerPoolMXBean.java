package dev.jwq.jmx;

/** A worker pool, {@code dev.jwq:type=WorkerPool,id=<id>}: its shape, workers and counters. */
public interface WorkerPoolMXBean {
    int getId();

    /** The CPU of a bound pool, -1 for an unbound one. */
    int getCpu();

    /** The CPUs its work comes from, as a Linux CPU list. */
    String getCpus();

    boolean isHighPriority();

    int getWorkers();

    int getIdle();

    /** nr_running: workers running an item and not known to be blocked. */
    int getRunning();

    /** Items waiting on the worklist. */
    int getPending();

    long getCompleted();

    long getWorkersCreated();

    long getWorkersRetired();

    long getCreationFailures();

    /** Idle workers woken (or created) because work needed one. */
    long getWakeups();

    /** Blocking learnt from the agent's hooks, {@code Workqueues.blocking}/{@code managedBlock}, and the sampler. */
    long getSleepsByHook();

    long getSleepsExplicit();

    long getSleepsBySampler();

    long getRescued();

    /** Stalls the watchdog reported. */
    long getStalls();
}
