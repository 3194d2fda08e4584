package dev.jwq.agent.boot;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.spi.FreshWork;
import dev.jwq.spi.OnTermination;
import dev.jwq.spi.PendingWork;
import dev.jwq.spi.WorkCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code new ThreadPoolExecutor(...)}, {@code Executors.newFixedThreadPool} and
 * {@code newCachedThreadPool} become under the agent, and what classes extending
 * ThreadPoolExecutor are made to extend: a {@link ThreadPoolExecutor} whose tasks run on a jwq
 * workqueue instead of its own threads.
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>Direct: one work item per task.</b> With an unbounded FIFO queue (a fixed pool, any
 * {@code LinkedBlockingQueue}, {@code LinkedTransferQueue} or {@code LinkedBlockingDeque} without
 * a capacity) or a hand-off queue with no thread limit (a cached pool), {@link #execute} queues
 * each task as its own work item on the workqueue, whose max_active is the number of threads
 * ThreadPoolExecutor would run: core (at least 1) with an unbounded queue, all of them with a
 * hand-off. Waiting tasks wait on the workqueue's lists, in order; nothing is queued twice.
 *
 * <p><b>Queued: runners stand in for threads.</b> Where the caller's queue shows through (a
 * bounded queue's capacity, a priority queue's order, a hand-off with a thread limit), tasks
 * wait in the caller's queue, and where the JDK would start a worker thread this class queues a
 * <em>runner</em> work item; a runner runs its first task (or the queue's head), then queues
 * itself again while the queue has tasks, so that each task is one run of a jwq work item and
 * other workqueues' items interleave. {@link #execute} is ThreadPoolExecutor's algorithm with
 * runners for workers. An unbounded queue switches to this mode, once and for good, the first
 * time {@link #getQueue()}, {@link #remove} or {@link #purge()} is called: the tasks still
 * waiting as direct items are taken off the workqueue and put in the caller's queue, in order,
 * so that the queue the application looks at holds them. (Until then, the queue object given to
 * the constructor stays empty.)
 *
 * <p><b>No task is stranded.</b> A runner that finds the queue empty gives up its slot, then
 * looks at the queue again and takes a slot back if a task arrived; {@code execute} offers
 * before it reads the runner count. Both are sequentially consistent, so either the runner sees
 * the task or {@code execute} sees no runner and starts one. A direct task queued just as the
 * mode switches looks at the mode again after queueing and moves itself if it is still pending.
 *
 * <p><b>Lifecycle</b> is ThreadPoolExecutor's: RUNNING -&gt; SHUTDOWN (queued tasks still run)
 * -&gt; STOP (shutdownNow: the workqueue's pending items and the queue taken and returned, running
 * tasks interrupted by the workqueue) -&gt; TIDYING ({@link #terminated()} runs) -&gt;
 * TERMINATED once the workqueue has terminated, no task runs on a thread of its own, no runner
 * is left and, unless stopping, the queue is empty. {@code shutdown} shuts the workqueue down
 * at once, and the workqueue says when it has terminated ({@code OnTermination}; an
 * {@code awaitTermination} that sees it finishes at once): nothing is counted per task for
 * termination. A direct task is either refused by the workqueue (then rejected) or counted in
 * flight there and run before it terminates (the workqueue's own queueing protocol); a runner
 * queues itself again from its own item, which a shut-down workqueue still accepts. Outside
 * threads queue no runner once shut down: the mode switch and {@code shutdown} take
 * {@code switchLock}, so a switch either ends before (its runners queued) or never begins
 * (the direct tasks stay on the workqueue; {@link #remove} and {@link #purge} reach them
 * there, and the queue shows none of them).
 *
 * <p><b>Direct tasks in flight</b>, for the statistics, are the workqueue's items in flight
 * ({@code WorkCounts}) but the runners, and the tasks running on threads of their own; their
 * completions are the workqueue's finished items but the runners' turns. Only the runners are
 * counted exactly: they alone decide whether a runner starts, and the workqueue's max_active
 * holds runners back while direct tasks from before a switch still run.
 * The superclass is only a shell that holds the settings (sizes, keep-alive, factory, handler)
 * and validates them: it gets an always-empty queue, so none of its methods can start a thread.
 *
 * <p><b>Left alone.</b> With a queue class outside the JDK's standard ones, whose {@code offer}
 * may depend on the executor's threads (Tomcat's TaskQueue, "scaling" queues), or a
 * ThreadFactory that makes threads of its own Thread subclass (how RxJava, Reactor and Netty
 * recognise their threads), this executor is a plain ThreadPoolExecutor: every method goes to
 * the superclass, and the report says why.
 *
 * <p>Legend: I: final after construction; V: volatile or atomic; S: written under
 * {@code switchLock}, read racily (volatile).
 */
public class JwqThreadPoolExecutor extends ThreadPoolExecutor {
    /** The queue given to the superclass: always empty, so the superclass never starts a thread. */
    private static final BlockingQueue<Runnable> SHELL_QUEUE = new SynchronousQueue<>();
    /** Queue classes whose offer/poll/remove mean only that: tasks in, tasks out. */
    private static final Set<Class<?>> STANDARD_QUEUES = Set.of(LinkedBlockingQueue.class,
            ArrayBlockingQueue.class, SynchronousQueue.class, LinkedTransferQueue.class,
            LinkedBlockingDeque.class, PriorityBlockingQueue.class);
    /** Unbounded FIFO queues: their tasks can wait on the workqueue instead. */
    private static final Set<Class<?>> FIFO_QUEUES = Set.of(LinkedBlockingQueue.class, LinkedTransferQueue.class,
            LinkedBlockingDeque.class);
    /**
     * {@code WQ_MAX_ACTIVE}, the largest max_active a workqueue takes (the runtime clamps larger
     * ones with a warning): the agent's executors clamp quietly (the executor's own limit still holds).
     */
    static final int WQ_MAX_ACTIVE = 2048;

    private static final int RUNNING = RunState.RUNNING, SHUTDOWN = RunState.SHUTDOWN, STOP = RunState.STOP,
            TIDYING = RunState.TIDYING;

    private final String leftAlone;                   // I: why this is a plain ThreadPoolExecutor, or null
    private final BlockingQueue<Runnable> queue;      // I: the caller's queue; null when left alone
    private final Workqueue wq;                       // I: null when left alone
    private final boolean handOff;                    // I: a SynchronousQueue in direct mode: getQueue() stays it
    private final boolean unboundedFifo;              // I: an unbounded FIFO queue: at most core tasks ever run
    private final ActiveTasks tasks;                  // I
    private final RunState runState = new RunState(); // I
    private final Object switchLock = new Object();   // I
    private volatile boolean queued;                  // S: tasks wait in `queue` behind runners (never back to false)
    private final LongAdder runnerTurns = new LongAdder();           // V: runner items that ended (the workqueue counts them finished)
    private final LongAdder ownEnded = new LongAdder();              // V: direct tasks on threads of their own that ended
    private final AtomicInteger runners = new AtomicInteger();       // V: runners queued or running
    private final AtomicInteger largest = new AtomicInteger();       // V: most tasks or runners at once
    private final AtomicInteger started = new AtomicInteger();       // V: core threads the JDK would have started
    /** V: slotted direct tasks on the workqueue now (see {@link #beyondMaxActive()}). */
    private final AtomicInteger slotted = new AtomicInteger();
    /** V: direct tasks running on threads of their own now (see {@link #runOnOwnThread}), for shutdownNow's interrupts. */
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, Executors.defaultThreadFactory(),
                new AbortPolicy(), site, null);
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, new AbortPolicy(), site, null);
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, RejectedExecutionHandler handler, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, Executors.defaultThreadFactory(), handler,
                site, null);
    }

    public JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                 BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                                 RejectedExecutionHandler handler, String site) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, handler, site, null);
    }

    /** {@code origin}: the JDK factory the application called, for the report; null for a constructor. */
    JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                          BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                          RejectedExecutionHandler handler, String site, String origin) {
        this(corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, threadFactory, handler, site, origin,
                Plan.of(corePoolSize, maximumPoolSize, workQueue, threadFactory));
    }

    private JwqThreadPoolExecutor(int corePoolSize, int maximumPoolSize, long keepAliveTime, TimeUnit unit,
                                  BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                                  RejectedExecutionHandler handler, String site, String origin, Plan plan) {
        // The superclass validates every argument, in the JDK's order, before anything else runs.
        super(corePoolSize, maximumPoolSize, keepAliveTime, unit, plan.leftAlone == null && workQueue != null ? SHELL_QUEUE : workQueue,
                threadFactory, handler);
        String made = Naming.origin(getClass(), JwqThreadPoolExecutor.class, "ThreadPoolExecutor",
                origin != null ? origin : "new ThreadPoolExecutor");
        this.leftAlone = plan.leftAlone;
        this.tasks = new ActiveTasks(callbacks);
        if (leftAlone != null) {
            this.queue = null;
            this.wq = null;
            this.handOff = false;
            this.unboundedFifo = false;
            AgentReport.leftAlone(site, made, leftAlone);
            return;
        }
        this.queue = workQueue;
        this.queued = !plan.direct;
        this.handOff = plan.direct && workQueue instanceof SynchronousQueue;
        this.unboundedFifo = plan.direct && !handOff;
        this.wq = plan.probe.workqueue(Naming.of(plan.probe, site)).maxActive(wqMaxActive()).build();
        tasks.nameAfter(wq.name());
        tasks.reportTo(plan.probe.failureHandler());
        OnTermination.register(wq, callbacks);
        AgentReport.created(site, made, wq.name());
    }

    /** What the constructor decides before the superclass is made (it needs the queue to give it). */
    private record Plan(String leftAlone, boolean direct, FactoryProbe probe) {
        static Plan of(int core, int max, BlockingQueue<Runnable> queue, ThreadFactory factory) {
            if (queue == null || core < 0 || max <= 0 || max < core) {
                return new Plan(null, false, FactoryProbe.of(null)); // the superclass throws as the JDK does
            }
            if (!STANDARD_QUEUES.contains(queue.getClass())) {
                return new Plan("queue " + queue.getClass().getName(), false, FactoryProbe.of(null));
            }
            FactoryProbe probe = FactoryProbe.of(factory);
            boolean unboundedFifo = FIFO_QUEUES.contains(queue.getClass()) && queue.isEmpty()
                    && queue.remainingCapacity() == Integer.MAX_VALUE;
            boolean unlimitedHandOff = queue instanceof SynchronousQueue && max == Integer.MAX_VALUE;
            return new Plan(probe.leaveAloneReason(), unboundedFifo || unlimitedHandOff, probe);
        }
    }

    /**
     * The workqueue's max_active: the threads ThreadPoolExecutor would run at most. With an
     * unbounded queue that is core (at least 1), direct or switched to queued mode: it also holds
     * back the runners started at the switch while direct tasks still run, so a pool of one
     * never runs two tasks at once. With a hand-off, max; otherwise the larger of core and max
     * (the runners' own limit is exact).
     */
    private int wqMaxActive() {
        return Math.max(1, Math.min(WQ_MAX_ACTIVE, directThreads()));
    }

    /** The threads ThreadPoolExecutor would run at most (see {@link #wqMaxActive()}). */
    private int directThreads() {
        int core = getCorePoolSize(), max = getMaximumPoolSize();
        return handOff ? max : unboundedFifo ? Math.max(1, core) : Math.max(core, max);
    }

    /** The workqueue the tasks run on, or null if this executor was left alone. */
    public Workqueue workqueue() {
        return wq;
    }

    /* --------------- Queueing --------------- */

    @Override
    public void execute(Runnable command) {
        if (leftAlone != null) {
            super.execute(command);
            return;
        }
        Objects.requireNonNull(command, "command"); // ThreadPoolExecutor's message
        if (runState.get() >= SHUTDOWN) {
            reject(command);
        } else if (!queued) {
            executeDirect(command);
        } else {
            executeQueued(command);
        }
    }

    private void reject(Runnable command) {
        getRejectedExecutionHandler().rejectedExecution(command, this);
    }

    /**
     * One task as its own work item. The workqueue refuses it once this executor has shut down
     * (overview): then it is rejected, as a task racing a JDK pool's shutdown is.
     */
    private void executeDirect(Runnable command) {
        noteDirectStarted();
        DirectTask item;
        if (!beyondMaxActive()) {
            item = new DirectTask(command);
        } else if (takeSlot()) {
            item = new SlottedTask(command);
        } else {
            runOnOwnThread(command);
            return;
        }
        try {
            // As execute() queues its own item: a plain store to own it, and kept unseen (no
            // runningOn mark, no done count) until handed out (Work.current, PendingWork).
            FreshWork.queue(wq, item);
        } catch (RejectedExecutionException e) { // shut down meanwhile
            item.giveSlotBack();
            reject(command);
            return;
        } catch (RuntimeException | Error e) {
            item.giveSlotBack();
            throw e;
        }
        if (queued && item.cancel()) {
            // The mode switched while this task was being queued: it waits in the queue like the others.
            item.giveSlotBack();
            executeQueued(command);
        }
    }

    /**
     * Whether the JDK's pool would run more threads than the workqueue's max_active allows (a
     * cached pool; a fixed pool of more than {@value #WQ_MAX_ACTIVE}). Its direct tasks then take
     * a slot on the workqueue, and a task finding none runs on a thread of its own, as the JDK's
     * pool starts one: on the workqueue it would wait for a running task to end, and tasks that
     * wait for each other (a thread per connection, {@value #WQ_MAX_ACTIVE} and more of them
     * blocked at once) waited for good.
     */
    private boolean beyondMaxActive() {
        return directThreads() > WQ_MAX_ACTIVE;
    }

    /** One of the workqueue's {@value #WQ_MAX_ACTIVE} slots for a direct task, if one is free. */
    private boolean takeSlot() {
        for (int n; (n = slotted.get()) < WQ_MAX_ACTIVE; ) {
            if (slotted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs direct task {@code command} on a thread of the executor's ThreadFactory, with the
     * same hooks and counts as on the workqueue (see {@link #beyondMaxActive()}). A factory that
     * gives no thread rejects the task, as the JDK's pool does when it cannot add a worker; a
     * thread that cannot start throws, as there.
     */
    private void runOnOwnThread(Runnable command) {
        DirectTask item = new DirectTask(command);
        Runnable body = () -> {
            try {
                item.run();
            } finally {
                ownEnded.increment();
                ownThreads.remove(Thread.currentThread());
                tryTerminate();
            }
        };
        Thread t = getThreadFactory().newThread(body);
        if (t == null) {
            reject(command);
            return;
        }
        // Added, then the state read again: shutdown sets the state, then termination reads this set.
        ownThreads.add(t);
        if (runState.get() >= SHUTDOWN) {
            ownThreads.remove(t);
            reject(command);
            tryTerminate();
            return;
        }
        try {
            t.start();
        } catch (RuntimeException | Error e) { // OutOfMemoryError: unable to create native thread
            ownThreads.remove(t);
            tryTerminate();
            throw e;
        }
        AgentReport.threadsAvoided(-1); // a thread the JDK's pool would have made too
    }

    /**
     * Direct tasks queued or running now (see the overview): a snapshot, off by an item or two
     * while items pass their slots on ({@code WorkCounts.inFlight}), exact once nothing starts
     * or ends.
     */
    private int directInFlight() {
        return Math.max(0, WorkCounts.inFlight(wq) - runners.get()) + ownThreads.size();
    }

    /**
     * The statistics' side of a direct task's execute: the JDK's pool starts a thread per
     * execute until core, whatever runs; tasks in flight, capped at the threads it would run,
     * stand for that. Two plain reads once the largest size reached that cap, as it does after
     * core executes with an unbounded queue; until then (and always for a cached pool) the
     * in-flight sums.
     */
    private void noteDirectStarted() {
        int cap = directThreads();
        if (largestPoolSize() >= cap && started.get() >= getCorePoolSize()) {
            return;
        }
        noteStarted(Math.min(directInFlight() + 1, cap)); // and this one, not queued yet
    }

    /**
     * What follows a direct task's end, on its worker: after a switch, like a thread going back
     * to the queue, it starts a runner if tasks wait there and fewer than core runners are
     * left. No termination check: its item is still in flight, so the workqueue has not
     * terminated (its action, or a thread of its own's end, finishes the termination).
     */
    private void afterDirect() {
        if (queued && runState.get() < STOP && !queue.isEmpty()) {
            tryStartRunner(Math.max(1, getCorePoolSize()), null);
        }
    }

    /** ThreadPoolExecutor.execute with runners for threads: below core start one, else queue, else up to max. */
    private void executeQueued(Runnable command) {
        if (tryStartRunner(getCorePoolSize(), command)) {
            return;
        }
        if (queue.offer(command)) {
            if (runState.get() >= SHUTDOWN && queue.remove(command)) {
                reject(command);
            } else if (runners.get() == 0 && !tryStartRunner(Math.max(1, getCorePoolSize()), null) && queue.remove(command)) {
                reject(command); // shut down meanwhile, and no runner left to run it
            }
            return;
        }
        if (!tryStartRunner(getMaximumPoolSize(), command)) {
            reject(command);
        }
    }

    /** One task as its own work item (direct mode): the item runs itself, one object per task. */
    private class DirectTask extends Work implements Runnable {
        final Runnable task;                  // I

        DirectTask(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                tasks.runDirect(task); // out of flight once it returns: completed and no longer active by then
            } finally {
                afterDirect();
            }
        }

        /** Frees the workqueue slot this task took, if it took one ({@link SlottedTask}): it will not run there. */
        void giveSlotBack() {
        }

        @Override
        public String toString() {
            return "task of " + wq.name() + ": " + task;
        }
    }

    /** A direct task holding one of the workqueue's slots ({@link #beyondMaxActive()}), freed as it ends. */
    private final class SlottedTask extends DirectTask {
        SlottedTask(Runnable task) {
            super(task);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                slotted.decrementAndGet();
            }
        }

        @Override
        void giveSlotBack() {
            slotted.decrementAndGet();
        }
    }

    /**
     * Takes a runner slot if fewer than {@code limit} runners are taken and the state allows it
     * (as addWorker: none once stopping; while shutting down only to drain a non-empty queue),
     * and queues the runner; false if it could not (also when the workqueue, shut down, refuses
     * a runner from outside: the runners already there drain the queue). Direct tasks from
     * before a switch are not counted against {@code limit}: the workqueue's max_active holds
     * the runners back while they run, and only an exact count may keep a runner from starting
     * (a task would wait in the queue with no runner). Where the JDK's pool, its core threads
     * busy with them, would queue {@code first}, it goes to the queue instead of to the runner.
     */
    private boolean tryStartRunner(int limit, Runnable first) {
        // Read before this runner counts; asked only where it could matter (a pool lock per pwq).
        boolean firstWaits = first != null && unboundedFifo && runners.get() < limit && directInFlight() > 0;
        for (;;) {
            int s = runState.get();
            if (s >= STOP || (s == SHUTDOWN && (first != null || queue.isEmpty()))) {
                return false;
            }
            int r = runners.get();
            if (r >= limit) {
                return false;
            }
            if (runners.compareAndSet(r, r + 1)) {
                noteStarted(r + 1);
                break;
            }
        }
        Runnable queuedFirst = null;
        if (firstWaits) {
            queue.offer(first); // unbounded: always accepted
            queuedFirst = first;
            first = null;
        }
        try {
            wq.queue(new Runner(first));
        } catch (RejectedExecutionException e) { // shut down meanwhile, or stopping
            runners.decrementAndGet();
            boolean taken = queuedFirst != null && !queue.remove(queuedFirst); // a runner took it: it runs
            tryTerminate();
            return taken;
        } catch (RuntimeException | Error e) {
            if (queuedFirst != null) {
                queue.remove(queuedFirst);
            }
            runnerExit();
            throw e;
        }
        return true;
    }

    /**
     * Records, for the statistics, that {@code now} tasks or runners are in flight: the most at
     * once, and the core threads the JDK's pool would have started by now (one per execute until
     * core). Their growth is what the report counts as threads not started. Cheap when nothing
     * grows: two plain reads.
     */
    private void noteStarted(int now) {
        int core = getCorePoolSize();
        int before = largestPoolSize();
        if (now <= before && started.get() >= core) {
            return;
        }
        // CAS loops, not accumulateAndGet / getAndUpdate: their lambdas would be spun on the first
        // execute (see ActiveTasks.Owner).
        for (int l = largest.get(); l < now && !largest.compareAndSet(l, now); l = largest.get()) {
            // another execute raised it meanwhile: look again
        }
        for (int st = started.get(); st < core && !started.compareAndSet(st, st + 1); st = started.get()) {
            // as above
        }
        int grown = largestPoolSize() - before;
        if (grown > 0) {
            AgentReport.threadsAvoided(grown);
        }
    }

    private int largestPoolSize() {
        return Math.max(largest.get(), started.get());
    }

    /**
     * How long a runner goes on taking tasks from the caller's queue in one turn before it queues
     * itself again behind the pool's other items: the worker's run-next quantum, for the same
     * reason (a busy executor must not keep the pool's other workqueues waiting). Queued again
     * per task, a runner paid a pass through the engine for every task (1.5-2x the JDK pool's
     * time per tiny task, CostBench's {@code queue-looked-at}).
     */
    static final long RUNNER_SLICE_NANOS = 100_000;

    /**
     * Whether a runner reads the clock after its {@code ran}th task of a turn: after the first
     * (the turn's start), the second and the fourth, then every eighth. A clock read costs
     * about as much as a tiny task; a long task still ends the turn within a few tasks.
     */
    static boolean clockDue(int ran) {
        return (ran & 7) == 0 || (ran < 8 && (ran & (ran - 1)) == 0);
    }

    /**
     * One runner: a jwq work item that takes tasks from the caller's queue for a turn
     * ({@link #RUNNER_SLICE_NANOS}), then queues itself again while tasks wait, as a thread of the
     * JDK's pool loops on its queue.
     */
    private final class Runner extends Work implements Runnable {
        private Runnable first;              // touched only by the worker running this item; queued again for each turn

        Runner(Runnable first) {
            this.first = first;
        }

        @Override
        public void run() {
            Runnable task = first;
            first = null;
            try {
                long turnStart = 0; // read after the first task, and only if more wait
                for (int ran = 0; ; task = null) {
                    if (task == null && (runState.get() >= STOP || (task = queue.poll()) == null)) {
                        break;
                    }
                    tasks.run(task); // what it throws ends the turn, as it ends a JDK pool's thread
                    if (clockDue(++ran)) {
                        if (ran == 1) {
                            if (queue.isEmpty()) {
                                break; // the common case of a lightly loaded pool: no clock read
                            }
                            turnStart = System.nanoTime();
                        } else if (System.nanoTime() - turnStart >= RUNNER_SLICE_NANOS) {
                            break;
                        }
                    }
                }
            } finally {
                runnerTurns.increment(); // this item's end, which the workqueue counts as a finished item
                if (runState.get() < STOP && !queue.isEmpty() && requeue()) {
                    return;
                }
                runnerExit();
            }
        }

        /** Chained from our own item: accepted even while the workqueue drains; refused once it stops. */
        private boolean requeue() {
            try {
                return wq.queue(this);
            } catch (RejectedExecutionException e) {
                return false;
            }
        }

        /** The task this runner was started with and never ran, if any (shutdownNow). */
        Runnable neverRun() {
            return first;
        }

        @Override
        public String toString() {
            return "runner of " + wq.name();
        }
    }

    /** A runner gives up its slot; it takes one back if a task arrived meanwhile, else may terminate. */
    private void runnerExit() {
        runners.decrementAndGet();
        if (runState.get() < STOP && !queue.isEmpty() && tryStartRunner(Math.max(1, getCorePoolSize()), null)) {
            return;
        }
        tryTerminate();
    }

    /**
     * The caller's queue, switching to queued mode first if this executor was direct (overview):
     * the direct tasks still waiting past max_active are taken off the workqueue and offered to
     * the queue, in the order the workqueue holds them (a task submitted during the switch may
     * get ahead of them), and runners are started for them; max_active keeps them from running
     * beside direct tasks still running past the pool's size. A direct task that has a slot and
     * only waits for a worker to take it stays: ThreadPoolExecutor hands such a task to the
     * thread it starts for it, and it never shows in the queue (moved, the task a pool of one
     * was about to run made getQueue().size() one more than the JDK's). A hand-off queue never
     * switches: ThreadPoolExecutor's is always empty too.
     */
    private BlockingQueue<Runnable> switchToQueue() {
        if (queued || handOff) {
            return queue;
        }
        synchronized (switchLock) {
            if (queued || runState.get() >= SHUTDOWN) {
                return queue; // shut down: no runner could start from here (overview)
            }
            queued = true;
            for (PendingWork.Item item : PendingWork.of(wq)) {
                if (item.waiting() && item.function() instanceof DirectTask d && item.work().cancel()) {
                    queue.offer(d.task); // unbounded: always accepted
                }
            }
            while (!queue.isEmpty() && tryStartRunner(Math.max(1, getCorePoolSize()), null)) {
                // a runner per core thread the JDK would have busy with these
            }
        }
        return queue;
    }

    /* --------------- Lifecycle --------------- */

    @Override
    public void shutdown() {
        if (leftAlone != null) {
            super.shutdown();
            return;
        }
        synchronized (switchLock) {
            runState.advance(SHUTDOWN); // a switch ends before, or never begins (overview)
        }
        wq.shutdown();
        terminateIfWorkqueueDid();
    }

    /**
     * Stops: the workqueue's pending items (direct tasks, runners not started) are taken off and
     * its running items interrupted by {@code Workqueue.shutdownNow}; the tasks that never
     * started are returned, the workqueue's first (in its order), then the queue's.
     */
    @Override
    public List<Runnable> shutdownNow() {
        if (leftAlone != null) {
            return super.shutdownNow();
        }
        synchronized (switchLock) {
            runState.advance(STOP); // a switch's tasks are in the queue by now, or stay on the workqueue
        }
        for (Thread t : ownThreads) {
            t.interrupt(); // the workqueue's shutdownNow interrupts the tasks running on its workers
        }
        List<Runnable> never = new ArrayList<>();
        for (Runnable fn : wq.shutdownNow()) {
            if (fn instanceof DirectTask d) {
                never.add(d.task);
                d.giveSlotBack();
            } else if (fn instanceof Runner r) {
                if (r.neverRun() != null) {
                    never.add(r.neverRun());
                }
                runners.decrementAndGet();
            }
        }
        queue.drainTo(never);
        if (!queue.isEmpty()) {
            for (Runnable r : queue.toArray(new Runnable[0])) {
                if (queue.remove(r)) {
                    never.add(r);
                }
            }
        }
        terminateIfWorkqueueDid();
        return never;
    }

    /** I: the executor's hooks for its tasks' runs and its termination, made once (not lambdas: {@link ActiveTasks.Owner}). */
    private final Callbacks callbacks = new Callbacks();

    private final class Callbacks implements ActiveTasks.Owner, RunState.Termination, Runnable {
        /** The workqueue terminated ({@code OnTermination}): so may this executor. */
        @Override
        public void run() {
            tryTerminate();
        }

        @Override
        public void beforeExecute(Thread t, Runnable r) {
            JwqThreadPoolExecutor.this.beforeExecute(t, r);
        }

        @Override
        public void afterExecute(Runnable r, Throwable t) {
            JwqThreadPoolExecutor.this.afterExecute(r, t);
        }

        @Override
        public boolean stopping() {
            return runState.get() >= STOP;
        }

        @Override
        public boolean idle() {
            return JwqThreadPoolExecutor.this.idle();
        }

        @Override
        public void terminated() {
            JwqThreadPoolExecutor.this.terminated();
        }
    }

    /** Idle enough to terminate (see {@link #tryTerminate}). */
    private boolean idle() {
        return wq.isTerminated() && ownThreads.isEmpty() && runners.get() == 0
                && (runState.get() >= STOP || queue.isEmpty());
    }

    /**
     * Terminates once shut down and idle: the workqueue terminated (every direct task and runner
     * ended: it was shut down with this executor), no task on a thread of its own and, unless
     * stopping, an empty queue. Called where one of those may have become true; the workqueue's
     * termination calls it from a system worker ({@code OnTermination}).
     */
    private void tryTerminate() {
        runState.tryTerminate(callbacks);
    }

    /**
     * A caller of the executor's methods that sees the workqueue terminated finishes the
     * termination itself, rather than wait for the workqueue's action (a timer tick away):
     * {@code close()} in a loop must not cost a millisecond a pool. What {@code terminated()}
     * throws here goes to the caller's uncaught-exception handler, as the JDK pool's last
     * worker, which runs the hook there, dies of it; the caller of shutdown, awaitTermination
     * or isTerminated does not get it.
     */
    private void terminateIfWorkqueueDid() {
        if (runState.isTerminating() && wq.isTerminated()) {
            try {
                tryTerminate();
            } catch (Throwable t) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, t);
            }
        }
    }

    @Override
    public boolean isShutdown() {
        return leftAlone != null ? super.isShutdown() : runState.isShutdown();
    }

    @Override
    public boolean isTerminating() {
        if (leftAlone != null) {
            return super.isTerminating();
        }
        terminateIfWorkqueueDid();
        return runState.isTerminating();
    }

    @Override
    public boolean isTerminated() {
        if (leftAlone != null) {
            return super.isTerminated();
        }
        terminateIfWorkqueueDid();
        return runState.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (leftAlone != null) {
            return super.awaitTermination(timeout, unit);
        }
        long nanos = unit.toNanos(timeout), start = System.nanoTime();
        if (!runState.isTerminated()) {
            if (!wq.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
                return runState.isTerminated();
            }
            terminateIfWorkqueueDid();
        }
        return runState.awaitTermination(nanos - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
    }

    /* --------------- Settings --------------- */

    @Override
    public void setCorePoolSize(int corePoolSize) {
        int oldCore = getCorePoolSize(), oldThreads = leftAlone == null ? directThreads() : 0;
        super.setCorePoolSize(corePoolSize); // validates; the shell queue is empty, so no thread starts
        if (leftAlone == null) {
            wq.setMaxActive(wqMaxActive());
            while (queued && !queue.isEmpty() && tryStartRunner(corePoolSize, null)) {
                // as the JDK starts new core threads for queued tasks
            }
            if (!queued) {
                // The JDK starts a core thread per waiting task, up to the new core size; here the
                // direct tasks past the old size start on the workqueue. Counted as those threads,
                // or getLargestPoolSize() (and getPoolSize() once idle) stayed at the old core size.
                int waiting = Math.max(0, directInFlight() - oldThreads);
                for (int k = Math.min(corePoolSize - oldCore, waiting); k > 0; k--) {
                    noteStarted(Math.min(directInFlight(), directThreads()));
                }
            }
        }
    }

    /**
     * Kept (the workqueue keeps the name the first factory gave it); a task failing from now on
     * reaches the handler of the new factory's threads, as it does in the JDK, whose threads made
     * from now on are the new factory's (it reached the first factory's handler).
     */
    @Override
    public void setThreadFactory(ThreadFactory threadFactory) {
        super.setThreadFactory(threadFactory); // validates
        if (leftAlone == null) {
            tasks.reportTo(FactoryProbe.of(threadFactory).failureHandler());
        }
    }

    @Override
    public void setMaximumPoolSize(int maximumPoolSize) {
        super.setMaximumPoolSize(maximumPoolSize);
        if (leftAlone == null) {
            wq.setMaxActive(wqMaxActive());
        }
    }

    /**
     * Starts a runner if a task waits in the queue and fewer than core runners exist; no thread
     * is started, since jwq's workers are shared and already there. Otherwise counts the core
     * thread the JDK would start (fewer than core started, not shut down), so that this returns
     * what the JDK's does, and getPoolSize() and getLargestPoolSize() count it as the JDK's do.
     * (It returned false, and prestartAllCoreThreads() 0, where the JDK says true and core.)
     */
    @Override
    public boolean prestartCoreThread() {
        if (leftAlone != null) {
            return super.prestartCoreThread();
        }
        if (queued && !queue.isEmpty() && tryStartRunner(getCorePoolSize(), null)) {
            return true;
        }
        int core = getCorePoolSize();
        for (int s; runState.get() < SHUTDOWN && (s = started.get()) < core; ) {
            int before = largestPoolSize();
            if (started.compareAndSet(s, s + 1)) {
                AgentReport.threadsAvoided(largestPoolSize() - before);
                return true;
            }
        }
        return false;
    }

    @Override
    public int prestartAllCoreThreads() {
        if (leftAlone != null) {
            return super.prestartAllCoreThreads();
        }
        int n = 0;
        while (prestartCoreThread()) {
            n++;
        }
        return n;
    }

    /* --------------- Queue maintenance --------------- */

    /** The caller's queue with the tasks waiting in it (a direct executor switches to queued mode first). */
    @Override
    public BlockingQueue<Runnable> getQueue() {
        return leftAlone != null ? super.getQueue() : switchToQueue();
    }

    @Override
    public boolean remove(Runnable task) {
        if (leftAlone != null) {
            return super.remove(task);
        }
        BlockingQueue<Runnable> q = switchToQueue();
        boolean removed = waitsOnWorkqueue() ? cancelWaiting(task, false) : q.remove(task);
        terminateIfWorkqueueDid();
        return removed;
    }

    @Override
    public void purge() {
        if (leftAlone != null) {
            super.purge();
            return;
        }
        BlockingQueue<Runnable> q = switchToQueue();
        if (waitsOnWorkqueue()) {
            cancelWaiting(null, true);
        } else {
            for (Runnable r : q.toArray(new Runnable[0])) {
                if (r instanceof Future<?> f && f.isCancelled()) {
                    q.remove(r);
                }
            }
        }
        terminateIfWorkqueueDid();
    }

    /** Tasks past max_active wait on the workqueue, not in the queue: shut down before any switch (overview). */
    private boolean waitsOnWorkqueue() {
        return unboundedFifo && !queued;
    }

    /**
     * Takes off the workqueue the waiting direct task {@code task}, or (if {@code cancelled})
     * every waiting direct task that is a cancelled Future: what the queue's remove and purge
     * do for the tasks the JDK's pool would hold there. Returns whether it took one.
     */
    private boolean cancelWaiting(Runnable task, boolean cancelled) {
        boolean took = false;
        for (PendingWork.Item item : PendingWork.of(wq)) {
            if (item.waiting() && item.function() instanceof DirectTask d
                    && (cancelled ? d.task instanceof Future<?> f && f.isCancelled() : d.task.equals(task))
                    && item.work().cancel()) {
                d.giveSlotBack();
                took = true;
                if (!cancelled) {
                    break;
                }
            }
        }
        return took;
    }

    /* --------------- Statistics --------------- */

    /**
     * The threads a ThreadPoolExecutor would have now: the tasks or runners in flight, or the
     * core threads it would keep idle once tasks had needed them (unless core threads time
     * out); 0 once terminated. A workqueue that has terminated while its termination action
     * has not run yet terminates the executor here first, as {@link #isTerminated} does: right
     * after the last task of a shut-down executor ended, this said 1 where the JDK's pool, its
     * thread gone, says 0 (the contract sweep's {@code factory-returns-null}, one run in many).
     */
    @Override
    public int getPoolSize() {
        if (leftAlone != null) {
            return super.getPoolSize();
        }
        terminateIfWorkqueueDid();
        if (runState.get() >= TIDYING) {
            return 0;
        }
        int busy = Math.max(runners.get(), active());
        return allowsCoreThreadTimeOut() ? busy : Math.max(busy, Math.min(started.get(), getCorePoolSize()));
    }

    /**
     * Tasks running now, counted by the workqueue when asked (nothing is counted per task for
     * it): its items running, a direct task's until its item ends (as a JDK pool's worker counts
     * as active until after afterExecute), a runner's while it runs tasks or looks for one.
     */
    private int active() {
        return WorkCounts.running(wq);
    }

    /** Tasks running now. */
    @Override
    public int getActiveCount() {
        return leftAlone != null ? super.getActiveCount() : active();
    }

    /** The most tasks or runners in flight at once (the most threads the JDK's pool would have had busy). */
    @Override
    public int getLargestPoolSize() {
        return leftAlone != null ? super.getLargestPoolSize() : largestPoolSize();
    }

    @Override
    public long getTaskCount() {
        if (leftAlone != null) {
            return super.getTaskCount();
        }
        // Completed first: a task ending between the reads is then counted once at most (the
        // in-flight count read after no longer has it), never in both.
        long completed = completed();
        int direct = directInFlight();
        return completed + direct + queue.size() + Math.max(0, active() - direct);
    }

    @Override
    public long getCompletedTaskCount() {
        return leftAlone != null ? super.getCompletedTaskCount() : completed();
    }

    /**
     * Tasks that ended: the workqueue's finished items but the runners' (each is a turn of
     * tasks, counted apart), the runners' tasks and those run on threads of their own. A sum
     * taken while a runner's turn ends may miss one task for an instant.
     */
    private long completed() {
        return Math.max(0L, WorkCounts.completed(wq) - runnerTurns.sum()) + tasks.completed() + ownEnded.sum();
    }

    /**
     * ThreadPoolExecutor's format, which applications log and parse and which ends up in every
     * AbortPolicy message: the class the application made ({@code ThreadPoolExecutor} for a
     * rewritten {@code new ThreadPoolExecutor} or {@code Executors} call, its own subclass's name
     * otherwise) and the JDK's fields only. (It named this class and appended the workqueue's
     * name, which {@link #workqueue()} gives.) Left alone, the JDK's string with that class name.
     */
    @Override
    public String toString() {
        if (leftAlone != null) {
            return Naming.className(getClass(), JwqThreadPoolExecutor.class, ThreadPoolExecutor.class)
                    + super.toString().substring(getClass().getName().length());
        }
        return Naming.className(getClass(), JwqThreadPoolExecutor.class, ThreadPoolExecutor.class) + '@'
                + Integer.toHexString(hashCode()) + '[' + runState.describe()
                + ", pool size = " + getPoolSize() + ", active threads = " + getActiveCount()
                + ", queued tasks = " + (Math.max(0, directInFlight() - active()) + queue.size()) + ", completed tasks = "
                + getCompletedTaskCount() + ']';
    }
}
