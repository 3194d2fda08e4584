package dev.jwq.jfr;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * The engine's tracepoints: one static method per place where {@code kernel/workqueue.c} calls
 * a {@code trace_workqueue_*} tracepoint (or where the JVM has something to add), each emitting
 * one JFR event.
 *
 * <p><b>Cost.</b> Arguments are names and numbers the engine already holds (a workqueue's name,
 * a task's {@code Class}, a pool id), never something computed for the event. While no
 * recording runs, a call reads one volatile flag ({@link RecordingGate}) and returns, allocating
 * nothing even in the interpreter (tested with the thread's allocation counter). Per-item
 * events are sampled ({@link #queueStamp()}): a clock read costs 25 ns or more, as much as
 * queueing and running a tiny item, so only the chosen items pay for one. While a
 * recording runs without the event, the event object a method creates does not escape and the
 * JIT's escape analysis removes it where the method is compiled with {@code shouldCommit()}
 * inlined. Fields, including the function name looked up in {@link FunctionNames}' cache, are
 * filled only after {@code shouldCommit()} said yes.
 *
 * <p><b>Duration events.</b> {@link #executeStart(long)} and {@link #workerSleeping()} return the
 * begun event, or {@code null} when it is off; the engine keeps it (in a local, or in a worker's
 * field when another thread ends it) and passes it to {@link #executeEnd} or
 * {@link #workerRunning}, which accept {@code null} and then return at once.
 *
 * <p>Every method may be called with locks held: none blocks, and none calls back into the
 * engine. {@link #executeEnd} never throws: it runs in a worker's item epilogue. The periodic
 * statistics run on JFR's own thread through {@link StatisticsSource}.
 */
public final class Tracepoints {
    private Tracepoints() {
    }

    /**
     * How many items one sampled {@code WorkExecution} stands for ({@code sampleOneIn}): the
     * engine scales what it measures on sampled items only (their CPU time) by it.
     */
    public static long sampleWeight() {
        return SampleSetting.mask() + 1L;
    }

    /* --------------- Work items --------------- */

    /**
     * {@code trace_workqueue_queue_work(req_cpu, pwq, work)}: in {@code __queue_work()}, once the
     * pool_workqueue is chosen and just before the item is inserted, on the worklist or, past
     * max_active, on the inactive list. jwq: in {@code Workqueue}'s queueing path, under the
     * pool lock, right where the item is linked.
     *
     * @param requestedCpu the CPU given to {@code queueOn}, or -1 ({@code WORK_CPU_UNBOUND})
     * @param cpu          the CPU of the pool chosen, or -1 for an unbound pool
     * @param inactive     true when held back on the inactive list by max_active
     */
    public static void queueWork(String workqueue, Class<?> function, int requestedCpu, int cpu, int pool,
                                 boolean inactive) {
        if (!RecordingGate.open()) {
            return;
        }
        WorkQueued e = new WorkQueued();
        if (e.shouldCommit()) {
            e.workqueue = workqueue;
            e.function = FunctionNames.of(function);
            e.requestedCpu = requestedCpu;
            e.cpu = cpu;
            e.pool = pool;
            e.inactive = inactive;
            e.commit();
        }
    }

    /**
     * {@code trace_workqueue_activate_work(work)} for an item leaving the inactive list: in
     * {@code __pwq_activate_work()} (reached from {@code pwq_activate_first_inactive()} when a
     * slot under max_active frees up). jwq: where {@code PoolWorkqueue} moves an inactive item
     * to the pool's worklist. (The kernel also fires it in {@code __queue_work()} for items that
     * go straight to the worklist; jwq shows those as {@code WorkQueued.inactive == false}.)
     *
     * @param inactiveNanos how long the item waited on the inactive list
     */
    public static void activateWork(String workqueue, Class<?> function, int pool, long inactiveNanos) {
        if (!RecordingGate.open()) {
            return;
        }
        WorkActivated e = new WorkActivated();
        if (e.shouldCommit()) {
            e.workqueue = workqueue;
            e.function = FunctionNames.of(function);
            e.pool = pool;
            e.inactiveTime = inactiveNanos;
            e.commit();
        }
    }

    /**
     * Whether a recording has {@code WorkQueued} on: the engine works out its arguments only
     * then (this is the queueing hot path, and the event is off in {@code jwq.jfc}).
     */
    public static boolean queueWorkEnabled() {
        return RecordingGate.open() && WorkQueuedProbe.enabled();
    }

    /** Whether a recording has {@code WorkActivated} on (see {@link #queueWorkEnabled()}). */
    public static boolean activateWorkEnabled() {
        return RecordingGate.open() && WorkActivatedProbe.enabled();
    }

    /**
     * When an item goes onto the inactive list: {@code System.nanoTime()} if a recording has
     * {@code WorkActivated} on (it reports how long the item waited there), else 0. The clock is
     * read only then: under a burst past max_active most items go inactive, and a clock read per
     * item cost a third of the queueing path in a recording without the event (measured).
     */
    public static long inactiveStamp() {
        return activateWorkEnabled() ? System.nanoTime() : 0;
    }

    /**
     * Chooses the items {@code WorkExecution} records, when they are queued (where
     * {@code __queue_work()} calls {@code trace_workqueue_queue_work}, and where a delayed item's
     * timer fires): {@code System.nanoTime()} for one item in {@code sampleOneIn} (never 0)
     * while a recording has the event on, else 0. The engine keeps the stamp in the item and
     * passes it to {@link #executeStart(long)}. Costs a volatile read and a branch without a
     * recording, a thread-local random number with one, the clock only for chosen items.
     */
    public static long queueStamp() {
        if (!RecordingGate.open() || !WorkExecutionProbe.enabled()
                || (ThreadLocalRandom.current().nextInt() & SampleSetting.mask()) != 0) {
            return 0;
        }
        long now = System.nanoTime();
        return now != 0 ? now : 1;
    }

    /**
     * {@code trace_workqueue_execute_start(work)}: in {@code process_one_work()}, with the pool
     * lock dropped, right before {@code worker->current_func(work)}. jwq: in
     * {@code Worker.processOneWork}, after {@code p.unlock()}, before {@code w.fn.run()}.
     *
     * @param queueStamp what {@link #queueStamp()} gave when the item was queued; 0 (not chosen)
     *                   returns {@code null} at once
     * @return the begun event, to be passed to {@link #executeEnd}; {@code null} when the item
     *         is not recorded (no allocation then)
     */
    public static WorkExecution executeStart(long queueStamp) {
        if (queueStamp == 0 || !RecordingGate.open() || !WorkExecutionProbe.enabled()) {
            return null;
        }
        WorkExecution e = new WorkExecution();
        e.queueLatency = Math.max(0, System.nanoTime() - queueStamp);
        e.begin();
        return e;
    }

    /**
     * {@code trace_workqueue_execute_end(work, current_func)}: in {@code process_one_work()},
     * right after the function returns, before the pool lock is taken again. jwq: in
     * {@code Worker.processOneWork}, in the {@code finally} after {@code w.fn.run()} (before
     * {@code p.lock()}), on the same worker thread that called {@link #executeStart(long)}.
     *
     * @param event        what {@link #executeStart(long)} returned; {@code null} returns at once
     * @param cpuIntensive the item ran outside concurrency management (CPU_INTENSIVE, or found
     *                     hogging)
     * @param failure      what the task threw, or {@code null}
     */
    public static void executeEnd(WorkExecution event, String workqueue, Class<?> function, int pool, String worker,
                                  boolean cpuIntensive, Throwable failure) {
        if (event == null) {
            return;
        }
        try {
            event.end();
            if (event.shouldCommit()) {
                event.workqueue = workqueue;
                event.function = FunctionNames.of(function);
                event.pool = pool;
                event.worker = worker;
                event.cpuIntensive = cpuIntensive;
                event.failure = failure == null ? null : failure.getClass().getName();
                event.commit();
            }
        } catch (Throwable t) {
            // The worker's epilogue runs next (its item's accounting, the pool lock): an event
            // that cannot be recorded loses the event, never the worker.
            RecordingGate.eventFailed(EventNames.WORK_EXECUTION, t);
        }
    }

    /* --------------- Workers --------------- */

    /**
     * {@code wq_worker_sleeping(task)}: called by the scheduler when a worker is about to block
     * ({@code sched_submit_work}); jwq: where {@code WorkerPool.workerSleeping} marks the worker
     * sleeping (first time only), on the worker itself for hooks and
     * {@code Workqueues.blocking}, on the pool monitor for the sampler.
     *
     * @return the begun event, kept by the engine until the worker runs again (a
     *         {@code Worker} field guarded by the pool lock when another thread ends it);
     *         {@code null} when no recording wants it
     */
    public static WorkerSleeping workerSleeping(SleepDetection detectedBy) {
        if (!RecordingGate.open() || !WorkerSleepingProbe.enabled()) {
            return null;
        }
        WorkerSleeping e = new WorkerSleeping();
        e.detectedBy = detectedBy.label;
        e.begin();
        return e;
    }

    /**
     * {@code wq_worker_running(task)}: called by the scheduler when a blocked worker wakes
     * ({@code sched_update_worker}); jwq: where {@code WorkerPool.workerRunning} clears the
     * sleeping mark, and where {@code processOneWork} clears a mark left when the item ended.
     *
     * @param event what {@link #workerSleeping(SleepDetection)} returned; {@code null} returns at once
     */
    public static void workerRunning(WorkerSleeping event, int pool, String worker) {
        if (event == null) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.pool = pool;
            event.worker = worker;
            event.commit();
        }
    }

    /**
     * {@code create_worker()}: after the new worker is attached to the pool and started. jwq:
     * at the end of {@code WorkerPool.createWorker}, after {@code w.start()} succeeded.
     *
     * @param workers live workers of the pool, this one included
     */
    public static void workerCreated(int pool, String worker, int workers) {
        lifecycle(pool, worker, EventNames.ACTION_CREATED, null, workers);
    }

    /**
     * {@code set_worker_dying()}: an idle worker past the idle timeout leaves the pool
     * ({@code idle_cull_fn}), or the pool is destroyed. jwq: where a worker is removed from
     * {@code WorkerPool.workers}.
     *
     * @param workers live workers of the pool after this one left
     */
    public static void workerRetired(int pool, String worker, int workers) {
        lifecycle(pool, worker, EventNames.ACTION_RETIRED, null, workers);
    }

    /**
     * {@code create_worker()} failing (its {@code fail:} path, where the kernel prints "workqueue:
     * Failed to create a worker thread"). jwq: in {@code WorkerPool.createWorker}'s catch of
     * {@code w.start()}, and where the {@code jwq.maxWorkers} cap refuses a worker.
     *
     * @param cause the error ({@code OutOfMemoryError: unable to create native thread}, the cap)
     */
    public static void workerCreationFailed(int pool, int workers, Throwable cause) {
        if (!RecordingGate.open()) {
            return;
        }
        WorkerLifecycle e = new WorkerLifecycle();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.action = EventNames.ACTION_CREATION_FAILED;
            e.reason = cause == null ? null : cause.toString();
            e.workers = workers;
            e.commit();
        }
    }

    private static void lifecycle(int pool, String worker, String action, String reason, int workers) {
        if (!RecordingGate.open()) {
            return;
        }
        WorkerLifecycle e = new WorkerLifecycle();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.worker = worker;
            e.action = action;
            e.reason = reason;
            e.workers = workers;
            e.commit();
        }
    }

    /* --------------- Forward progress --------------- */

    /**
     * {@code send_mayday(work)}: from {@code pool_mayday_timeout()}, for each item on a pool's
     * worklist whose workqueue has a rescuer, when worker creation has not succeeded for
     * {@code MAYDAY_INITIAL_TIMEOUT} (then every {@code MAYDAY_INTERVAL}). jwq: where the
     * engine puts a PoolWorkqueue on its workqueue's mayday list (once per PoolWorkqueue, as
     * the kernel counts {@code PWQ_STAT_MAYDAY}).
     *
     * @param function the class of the pending task the mayday is for
     */
    public static void mayday(String workqueue, int pool, Class<?> function) {
        if (!RecordingGate.open()) {
            return;
        }
        Mayday e = new Mayday();
        if (e.shouldCommit()) {
            e.workqueue = workqueue;
            e.pool = pool;
            e.function = FunctionNames.of(function);
            e.commit();
        }
    }

    /**
     * {@code rescuer_thread()}: after the rescuer has processed one pool's share of its
     * workqueue's items ({@code assign_work()} + {@code process_scheduled_works()}, up to
     * {@code RESCUER_BATCH}). jwq: in the rescuer's loop after each pool's batch.
     *
     * @param rescued items the rescuer ran for this pool in this batch
     */
    public static void rescue(String workqueue, int pool, int rescued) {
        if (!RecordingGate.open()) {
            return;
        }
        Rescue e = new Rescue();
        if (e.shouldCommit()) {
            e.workqueue = workqueue;
            e.pool = pool;
            e.rescued = rescued;
            e.commit();
        }
    }

    /**
     * The watchdog's lockup report: in {@code wq_watchdog_timer_fn()}, where the kernel prints
     * "BUG: workqueue lockup - pool ... stuck for Ns!" before {@code show_all_workqueues()}.
     * jwq: where the watchdog reports a stalled pool, once per stall.
     *
     * @param cpu          the pool's CPU, or -1 for an unbound pool
     * @param stalledNanos time since the pool last made progress
     * @param pending      items on the pool's worklist
     * @param dump         the pool's state as the watchdog logs it
     */
    public static void poolStall(int pool, int cpu, long stalledNanos, int pending, String dump) {
        if (!RecordingGate.open()) {
            return;
        }
        PoolStall e = new PoolStall();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.cpu = cpu;
            e.stalledFor = stalledNanos;
            e.pending = pending;
            e.dump = dump;
            e.commit();
        }
    }

    /**
     * {@code wq_cpu_intensive_report(func)}: from {@code wq_worker_tick()} when a
     * concurrency-managed item has run past {@code wq_cpu_intensive_thresh_us} and is marked
     * {@code WORKER_CPU_INTENSIVE}. jwq: in {@code WorkerPool.workerCpuIntensive}, when the
     * monitor finds an item hogging (not for items of CPU_INTENSIVE workqueues). Counts the
     * function in the CPU-hog report, which logs with back-off even without a recording.
     *
     * @param cpuNanos       CPU time the item had used
     * @param thresholdNanos the CPU-intensive threshold in force, for the log line
     */
    public static void cpuIntensive(String workqueue, Class<?> function, int pool, String worker, long cpuNanos,
                                    long thresholdNanos) {
        long count = CpuHogReport.record(function, thresholdNanos);
        if (!RecordingGate.open()) {
            return;
        }
        CpuIntensive e = new CpuIntensive();
        if (e.shouldCommit()) {
            e.workqueue = workqueue;
            e.function = FunctionNames.of(function);
            e.pool = pool;
            e.worker = worker;
            e.cpuTime = cpuNanos;
            e.count = count;
            e.commit();
        }
    }

    /* --------------- Runtime state and statistics --------------- */

    /**
     * Bound workers cannot be pinned (no FFM API before JDK 22, or the affinity call failed).
     * No kernel analogue. jwq: once, where the CPU code gives up pinning. Emitted now and at the
     * start of every later chunk, so a recording started afterwards still shows it.
     */
    public static void pinningUnavailable(String reason) {
        PeriodicEvents.pinningUnavailable(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Makes {@code source} the provider of the periodic {@code WorkqueueStatistics} and
     * {@code PoolStatistics} events (wq_monitor.py reads {@code pwq->stats[]}; jwq pushes them
     * once per period). jwq: once, when the runtime starts. A later call replaces the source.
     * Registers with {@link FlightRecorder#addPeriodicEvent} on first use.
     */
    public static void registerStatistics(StatisticsSource source) {
        PeriodicEvents.register(Objects.requireNonNull(source, "source"));
    }

    /* --------------- Enabled checks that allocate nothing --------------- */

    // Asked for every item while a recording runs (queueing, activation, the sampling choice),
    // so they read the event type's enabled flag and create no event: an event object made
    // just to call isEnabled() was removed by escape analysis only where C2 inlined the probe
    // into its caller, and it was not in the queueing path (measured in the flagship demo
    // under jwq.jfc: 5-7% of the heap the agent's run allocated, which grew G1's young
    // generation and so the resident memory). The event that executeStart returns escapes,
    // and must not be created just to ask either. Each holder is initialised on first use,
    // which happens only while a recording runs (RecordingGate.open()), so Flight Recorder is
    // up and EventType.getEventType registers nothing new (RecordingGate registered them all).
    private static final class WorkExecutionProbe {
        private static final EventEnabled TYPE = new EventEnabled(WorkExecution.class, WorkExecution::new);

        static boolean enabled() {
            return TYPE.enabled();
        }
    }

    private static final class WorkerSleepingProbe {
        private static final EventEnabled TYPE = new EventEnabled(WorkerSleeping.class, WorkerSleeping::new);

        static boolean enabled() {
            return TYPE.enabled();
        }
    }

    private static final class WorkQueuedProbe {
        private static final EventEnabled TYPE = new EventEnabled(WorkQueued.class, WorkQueued::new);

        static boolean enabled() {
            return TYPE.enabled();
        }
    }

    private static final class WorkActivatedProbe {
        private static final EventEnabled TYPE = new EventEnabled(WorkActivated.class, WorkActivated::new);

        static boolean enabled() {
            return TYPE.enabled();
        }
    }

    /**
     * Whether recordings have an event type on: {@link EventType#isEnabled()}, a plain read of
     * the type's flag (what an event's own {@code isEnabled()} reads, less the "registered"
     * half, which only {@code FlightRecorder.unregister} clears, and then {@code shouldCommit()}
     * still says no). Where the type cannot be had (Flight Recorder refused it), an event is
     * created to ask, as before.
     */
    private static final class EventEnabled {
        private final EventType type;                  // I: null when getEventType refused
        private final Supplier<? extends Event> event; // I: the fallback's way to ask

        EventEnabled(Class<? extends Event> eventClass, Supplier<? extends Event> event) {
            this.event = event;
            EventType t;
            try {
                t = EventType.getEventType(eventClass);
            } catch (RuntimeException | Error e) {
                t = null;
            }
            this.type = t;
        }

        boolean enabled() {
            EventType t = type;
            return t != null ? t.isEnabled() : event.get().isEnabled();
        }
    }
}
