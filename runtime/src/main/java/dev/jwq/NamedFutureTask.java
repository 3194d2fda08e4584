package dev.jwq;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/** The future of {@code submit}: a {@link FutureTask} that remembers the user's task class. */
final class NamedFutureTask<V> extends FutureTask<V> implements TaskFunction {
    private final Class<?> taskClass; // I

    NamedFutureTask(Callable<V> callable) {
        super(callable);
        this.taskClass = callable.getClass();
    }

    NamedFutureTask(Runnable runnable, V result) {
        super(runnable, result);
        this.taskClass = runnable.getClass();
    }

    @Override
    public Class<?> taskClass() {
        return taskClass;
    }
}
