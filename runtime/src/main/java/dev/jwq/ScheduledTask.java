package dev.jwq;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A task of the {@link java.util.concurrent.ScheduledExecutorService} face of a workqueue: a
 * {@link FutureTask} carried by a {@link DelayedWork}. A periodic task re-arms its own item after
 * each run, as {@code ScheduledThreadPoolExecutor} does, and stops at shutdown.
 *
 * <p>Legend: I: final; W: written by the worker running the task, read by anyone (volatile).
 */
final class ScheduledTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V>, TaskFunction {
    private final Workqueue wq;          // I
    private final Class<?> taskClass;    // I: the user's task, for events
    final DelayedWork work;              // I: runs this task
    /** 0: one-shot; &gt; 0: fixed rate; &lt; 0: fixed delay of -period. */
    private final long period;           // I
    private volatile long time;          // W: System.nanoTime() at which the next run is due

    ScheduledTask(Workqueue wq, Runnable command, V result, long delay, TimeUnit unit, long period) {
        super(command, result);
        this.wq = wq;
        this.taskClass = command.getClass();
        this.period = period;
        this.time = triggerTime(unit.toNanos(delay));
        this.work = new DelayedWork(this);
    }

    ScheduledTask(Workqueue wq, Callable<V> callable, long delay, TimeUnit unit) {
        super(callable);
        this.wq = wq;
        this.taskClass = callable.getClass();
        this.period = 0;
        this.time = triggerTime(unit.toNanos(delay));
        this.work = new DelayedWork(this);
    }

    @Override
    public Class<?> taskClass() {
        return taskClass;
    }

    private static long triggerTime(long delayNanos) {
        long now = System.nanoTime();
        long d = Math.max(delayNanos, 0);
        // Saturate rather than overflow for absurd delays (Long.MAX_VALUE means "never", in practice).
        return d > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + d;
    }

    @Override
    public boolean isPeriodic() {
        return period != 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(time - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        long d = other instanceof ScheduledTask<?> t ? time - t.time
                : getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
        return Long.signum(d);
    }

    @Override
    public void run() {
        if (isPeriodic() && wq.isShutdown()) {
            // ScheduledThreadPoolExecutor never starts a periodic task after shutdown.
            cancel(false);
            return;
        }
        if (!isPeriodic()) {
            super.run();
        } else if (runAndReset()) {
            time = period > 0 ? time + period : triggerTime(-period);
            reschedule();
        }
    }

    /** Re-arms the next run, unless the workqueue shut down meanwhile. */
    private void reschedule() {
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
