package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import java.util.Objects;

/**
 * What {@code Executors.newSingleThreadExecutor} returns under the agent: its ordered workqueue
 * behind a plain {@code ExecutorService}, as the JDK hides its pool behind one. The workqueue
 * itself is also a {@code ScheduledExecutorService}, so code asking {@code instanceof
 * ScheduledExecutorService} (to schedule on it, or to wrap it as one) took a path it never takes
 * without the agent. {@code submit} and {@code invokeAll}/{@code invokeAny} make plain
 * {@code FutureTask}s, as the JDK's single-thread executor (a ThreadPoolExecutor inside) does.
 */
class OrderedExecutor extends WorkqueueExecutor {
    OrderedExecutor(Workqueue wq) {
        super(wq);
    }

    @Override
    public void execute(Runnable command) {
        wq.execute(Objects.requireNonNull(command, "command")); // ThreadPoolExecutor's message
    }
}
