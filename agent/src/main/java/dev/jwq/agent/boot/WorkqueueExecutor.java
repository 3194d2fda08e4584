package dev.jwq.agent.boot;

import dev.jwq.Workqueue;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A plain {@code ExecutorService} in front of a workqueue, for the {@code Executors} factories
 * whose JDK result is not a ThreadPoolExecutor ({@link OrderedExecutor}, {@link StealingExecutor}):
 * the workqueue's lifecycle as is; each subclass says how it queues and what shutdownNow returns.
 */
abstract class WorkqueueExecutor extends AbstractExecutorService {
    final Workqueue wq; // I

    WorkqueueExecutor(Workqueue wq) {
        this.wq = wq;
    }

    @Override
    public void shutdown() {
        wq.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return wq.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return wq.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return wq.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return wq.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        wq.close();
    }
}
