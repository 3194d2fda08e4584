package dev.jwq.agent.boot;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.spi.FreshWork;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code Executors.newWorkStealingPool} returns under the agent: its workqueue (max_active =
 * parallelism) behind an {@code ExecutorService} (a {@code ScheduledExecutorService} where
 * ForkJoinPool is one, {@link #of}) that keeps two promises of the
 * {@code ForkJoinPool} the JDK returns, which the bare workqueue broke:
 *
 * <ul>
 * <li><b>Waiting inside the pool does not deadlock it.</b> A task that waits for another task of
 * the same pool ({@code submit(..).get()}, {@code invokeAll} from a task) that has not started
 * runs it itself, as a ForkJoinPool worker joining a task takes it back from its queue
 * ({@code tryRemoveAndExec}). On the bare workqueue the waiting task held one of the
 * parallelism's slots while the task it waited for queued behind it: with parallelism 1 the pool
 * hung for good.</li>
 * <li><b>{@code shutdownNow()} cancels the tasks that never started and returns an empty
 * list</b>, as ForkJoinPool's does: the workqueue returned them, and their futures never
 * completed, so a {@code get()} on one hung instead of throwing CancellationException.</li>
 * </ul>
 */
class StealingExecutor extends WorkqueueExecutor {
    StealingExecutor(Workqueue wq) {
        super(wq);
    }

    /**
     * One for {@code wq}: a ScheduledExecutorService where ForkJoinPool is one (JDK 25+, whose
     * pools schedule), a plain ExecutorService before, so that {@code instanceof} answers as for
     * the JDK's pool.
     */
    static StealingExecutor of(Workqueue wq) {
        return ScheduledExecutorService.class.isAssignableFrom(ForkJoinPool.class) ? new Scheduling(wq) : new StealingExecutor(wq);
    }

    /** {@link StealingExecutor} where ForkJoinPool is a ScheduledExecutorService: scheduling goes to the workqueue. */
    private static final class Scheduling extends StealingExecutor implements ScheduledExecutorService {
        Scheduling(Workqueue wq) {
            super(wq);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return wq.schedule(command, delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return wq.schedule(callable, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return wq.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return wq.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }
    }

    /** One task as its own work item (it runs itself, one object per task). */
    private final class Item extends Work implements Runnable {
        final Runnable task; // I

        Item(Runnable task) {
            this.task = task;
        }

        StealingExecutor executor() {
            return StealingExecutor.this;
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public String toString() {
            return "task of " + wq.name() + ": " + task;
        }
    }

    /** A future of this executor's: waited for by one of its tasks before it started, it runs in the waiter. */
    private final class Task<V> extends FutureTask<V> {
        private volatile Item item; // set when queued

        Task(Callable<V> callable) {
            super(callable);
        }

        Task(Runnable runnable, V result) {
            super(runnable, result);
        }

        StealingExecutor executor() {
            return StealingExecutor.this;
        }

        /** Runs this task here if a task of this executor waits for it and it has not started (see the class). */
        private void helpIfWaitedForInside() {
            Item i = item;
            if (i != null && !isDone() && Work.current() instanceof Item current && current.executor() == StealingExecutor.this
                    && i.cancel()) {
                run();
            }
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            helpIfWaitedForInside();
            return super.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            helpIfWaitedForInside();
            return super.get(timeout, unit);
        }
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new Task<>(runnable, value);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new Task<>(callable);
    }

    @Override
    public void execute(Runnable command) {
        if (command == null) {
            throw new NullPointerException(); // ForkJoinPool's, without a message
        }
        Item i = new Item(command);
        if (command instanceof Task<?> t && t.executor() == this) {
            t.item = i;
        }
        FreshWork.queue(wq, i);
    }

    /** ForkJoinPool's: the tasks not started are cancelled (their futures say so) and an empty list is returned. */
    @Override
    public List<Runnable> shutdownNow() {
        for (Runnable fn : wq.shutdownNow()) {
            if (fn instanceof Item i && i.task instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        return List.of();
    }
}
