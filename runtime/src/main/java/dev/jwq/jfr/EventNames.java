package dev.jwq.jfr;

/**
 * The names of jwq's events and of their fields, as they appear in a recording. Readers of
 * recordings (the {@code jwq} tool, the Mission Control rules) use these constants; the names
 * are part of the recording format and never change once released.
 */
public final class EventNames {
    private EventNames() {
    }

    public static final String PREFIX = "dev.jwq.";
    public static final String WORK_QUEUED = PREFIX + "WorkQueued";
    public static final String WORK_ACTIVATED = PREFIX + "WorkActivated";
    public static final String WORK_EXECUTION = PREFIX + "WorkExecution";
    public static final String WORKER_SLEEPING = PREFIX + "WorkerSleeping";
    public static final String WORKER_LIFECYCLE = PREFIX + "WorkerLifecycle";
    public static final String MAYDAY = PREFIX + "Mayday";
    public static final String RESCUE = PREFIX + "Rescue";
    public static final String POOL_STALL = PREFIX + "PoolStall";
    public static final String CPU_INTENSIVE = PREFIX + "CpuIntensive";
    public static final String PINNING_UNAVAILABLE = PREFIX + "PinningUnavailable";
    public static final String WORKQUEUE_STATISTICS = PREFIX + "WorkqueueStatistics";
    public static final String POOL_STATISTICS = PREFIX + "PoolStatistics";

    /* --------------- Field names (shared by several events where the meaning is the same) --------------- */

    public static final String F_WORKQUEUE = "workqueue";
    public static final String F_INSTANCE = "instance";
    public static final String F_FUNCTION = "function";
    public static final String F_POOL = "pool";
    public static final String F_WORKER = "worker";
    public static final String F_REQUESTED_CPU = "requestedCpu";
    public static final String F_CPU = "cpu";
    public static final String F_INACTIVE = "inactive";
    public static final String F_INACTIVE_TIME = "inactiveTime";
    public static final String F_QUEUE_LATENCY = "queueLatency";
    public static final String F_CPU_INTENSIVE = "cpuIntensive";
    public static final String F_FAILURE = "failure";
    public static final String F_DETECTED_BY = "detectedBy";
    public static final String F_ACTION = "action";
    public static final String F_REASON = "reason";
    public static final String F_WORKERS = "workers";
    public static final String F_RESCUED = "rescued";
    public static final String F_STALLED_FOR = "stalledFor";
    public static final String F_PENDING = "pending";
    public static final String F_DUMP = "dump";
    public static final String F_CPU_TIME = "cpuTime";
    public static final String F_COUNT = "count";
    public static final String F_UNBOUND = "unbound";
    public static final String F_MEM_RECLAIM = "memReclaim";
    public static final String F_STARTED = "started";
    public static final String F_COMPLETED = "completed";
    public static final String F_IN_FLIGHT = "inFlight";
    public static final String F_CM_WAKEUPS = "cmWakeups";
    public static final String F_REPATRIATED = "repatriated";
    public static final String F_MAYDAYS = "maydays";
    public static final String F_MAX_ACTIVE = "maxActive";
    public static final String F_ACTIVE = "active";
    public static final String F_INACTIVE_ITEMS = "inactiveItems";
    public static final String F_HIGH_PRIORITY = "highPriority";
    public static final String F_NAME = "name";
    public static final String F_IDLE = "idle";
    public static final String F_RUNNING = "running";

    /** Values of {@link #F_ACTION} in {@code WorkerLifecycle}. */
    public static final String ACTION_CREATED = "created";
    public static final String ACTION_RETIRED = "retired";
    public static final String ACTION_CREATION_FAILED = "creation failed";
}
