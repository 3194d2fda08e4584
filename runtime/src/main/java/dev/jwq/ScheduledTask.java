package dev.jwq;

import dev.jwq.spi.ScheduledFutureTask;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A task of the {@link java.util.concurrent.ScheduledExecutorService} face of a workqueue: a
 * {@link ScheduledFutureTask} (shared with the agent's rewritten ScheduledThreadPoolExecutor)
 * carried by a {@link DelayedWork}. A periodic task re-arms its own item after each run, as
 * {@code ScheduledThreadPoolExecutor} does, and stops at shutdown.
 *
 * <p>Legend: I: final.
 */
final class ScheduledTask<V> extends ScheduledFutureTask<V> implements TaskFunction {
    private final Workqueue wq;          // I
    private final Class<?> taskClass;    // I: the user's task, for events
    final DelayedWork work;              // I: runs this task

    ScheduledTask(Workqueue wq, Runnable command, V result, long delay, TimeUnit unit, long period) {
        super(command, result, triggerTime(unit.toNanos(delay)), period);
        this.wq = wq;
        this.taskClass = command.getClass();
        this.work = new DelayedWork(this);
    }

    ScheduledTask(Workqueue wq, Callable<V> callable, long delay, TimeUnit unit) {
        super(callable, triggerTime(unit.toNanos(delay)));
        this.wq = wq;
        this.taskClass = callable.getClass();
        this.work = new DelayedWork(this);
    }

    @Override
    public Class<?> taskClass() {
        return taskClass;
    }

    /** ScheduledThreadPoolExecutor never starts a periodic task after shutdown. */
    @Override
    protected boolean canRunNow() {
        return !(isPeriodic() && wq.isShutdown());
    }

    /** Re-arms the next run, unless the workqueue shut down meanwhile. */
    @Override
    protected void reschedule() {
        if (wq.isShutdown()) {
            cancel(false);
            return;
        }
        // Chained from the task's own item, so admitted even if shutdown races with us; the
        // recheck below then stops it, as shutdown() stops every armed periodic task.
        wq.queueDelayedAt(Cpus.ANY, work, getDelay(TimeUnit.NANOSECONDS));
        if (wq.isShutdown()) {
            cancel(false);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            work.cancel(); // off the timer or the queue: a cancelled task never occupies a worker
        }
        return cancelled;
    }

    @Override
    public String toString() {
        return super.toString() + "[" + (isPeriodic() ? "periodic, " : "") + "due in "
                + getDelay(TimeUnit.MILLISECONDS) + " ms]";
    }
}
