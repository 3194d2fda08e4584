package dev.jwq.spi;

import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ScheduledThreadPoolExecutor}'s {@code ScheduledFutureTask}, written once for jwq's two
 * scheduled executors: the {@code ScheduledExecutorService} face of a workqueue (the runtime's
 * {@code ScheduledTask}) and the agent's rewritten {@code ScheduledThreadPoolExecutor}. A
 * {@link FutureTask} with a trigger time ({@link System#nanoTime()} based), a period (&gt; 0 fixed
 * rate, &lt; 0 fixed delay, 0 one-shot) and a sequence number: tasks due at the same time are
 * ordered first scheduled, first run, as in the JDK.
 *
 * <p>Subclasses say whether the executor's run state lets a task run now and how a periodic
 * task is armed again after a run. Legend: I: final; W: written by the thread running the task,
 * read by anyone (volatile).
 */
public abstract class ScheduledFutureTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    /** Breaks ties between equal trigger times: FIFO across every scheduled task of the process. */
    private static final AtomicLong SEQUENCER = new AtomicLong();

    private final long sequenceNumber = SEQUENCER.getAndIncrement(); // I
    private final long period;                                        // I
    private volatile long time;                                       // W: nanoTime at which the next run is due

    /** A task of {@code r} due at {@code time} ({@link #triggerTime}), repeated by {@code period} nanoseconds. */
    protected ScheduledFutureTask(Runnable r, V result, long time, long period) {
        super(r, result);
        this.time = time;
        this.period = period;
    }

    /** A one-shot task of {@code c} due at {@code time}. */
    protected ScheduledFutureTask(Callable<V> c, long time) {
        super(c);
        this.time = time;
        this.period = 0;
    }

    /** The trigger time of a delay from now; beyond about 146 years it saturates ("never") instead of overflowing. */
    public static long triggerTime(long delayNanos) {
        long d = Math.max(0L, delayNanos);
        return System.nanoTime() + Math.min(d, Long.MAX_VALUE >> 1);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(time - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** By trigger time; equal times by scheduling order; other kinds of {@link Delayed} by their delay. */
    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        if (other instanceof ScheduledFutureTask<?> x) {
            long diff = time - x.time;
            return diff < 0 ? -1 : diff > 0 ? 1 : sequenceNumber < x.sequenceNumber ? -1 : 1;
        }
        long diff = getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
        return diff < 0 ? -1 : diff > 0 ? 1 : 0;
    }

    @Override
    public boolean isPeriodic() {
        return period != 0;
    }

    /**
     * ScheduledFutureTask.run: cancelled if the run state no longer allows it; a one-shot task
     * runs; a periodic one runs and, unless it threw or was cancelled, gets its next trigger
     * time (fixed rate: from the last one; fixed delay: from now) and is armed again.
     */
    @Override
    public void run() {
        if (!canRunNow()) {
            cancel(false);
        } else if (!isPeriodic()) {
            super.run();
        } else if (runAndReset()) {
            time = period > 0 ? time + period : triggerTime(-period);
            reschedule();
        }
    }

    /** Whether the executor's run state lets this task run now (ScheduledThreadPoolExecutor's policies). */
    protected abstract boolean canRunNow();

    /** Arms the next run of a periodic task, whose trigger time has just been set. */
    protected abstract void reschedule();
}
