package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What {@code Executors.newSingleThreadScheduledExecutor} returns under the agent: its ordered
 * workqueue behind a plain {@code ScheduledExecutorService}, as the JDK hides its
 * ScheduledThreadPoolExecutor behind one, with ScheduledThreadPoolExecutor's argument checks
 * (exceptions without messages) before the workqueue's own, whose messages differ (the workqueue
 * itself said {@code period must be positive: 0} and {@code command is null}).
 */
final class OrderedScheduledExecutor extends OrderedExecutor implements ScheduledExecutorService {
    OrderedScheduledExecutor(Workqueue wq) {
        super(wq);
    }

    private static void check(Object task, TimeUnit unit) {
        if (task == null || unit == null) {
            throw new NullPointerException();
        }
    }

    private static void checkPeriodic(Object task, long period, TimeUnit unit) {
        check(task, unit);
        if (period <= 0L) {
            throw new IllegalArgumentException();
        }
    }

    /** ScheduledThreadPoolExecutor's execute is a schedule with no delay: its null check has no message. */
    @Override
    public void execute(Runnable command) {
        check(command, TimeUnit.NANOSECONDS);
        wq.execute(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        check(command, unit);
        return wq.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        check(callable, unit);
        return wq.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        checkPeriodic(command, period, unit);
        return wq.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        checkPeriodic(command, delay, unit);
        return wq.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }
}
