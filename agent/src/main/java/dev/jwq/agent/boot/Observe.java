package dev.jwq.agent.boot;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * Called from {@code ThreadPoolExecutor.runWorker} in place of {@code task.run()} under
 * {@code mode=observe}: runs the task as before and records an {@link ExecutorTask} event around
 * it. The task, the queue and the executor see nothing different; what the task throws
 * propagates unchanged to runWorker.
 */
public final class Observe {
    private Observe() {}

    public static void run(Runnable task, ThreadPoolExecutor executor) {
        ExecutorTask event = new ExecutorTask();
        if (!event.isEnabled()) {
            task.run();
            return;
        }
        event.begin();
        Throwable failure = null;
        try {
            task.run();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            if (event.shouldCommit()) {
                event.executor = executor.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(executor));
                event.function = task.getClass().getName();
                event.failure = failure == null ? null : failure.toString();
                event.commit();
            }
        }
    }
}
