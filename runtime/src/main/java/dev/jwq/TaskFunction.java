package dev.jwq;

/**
 * A wrapper the runtime puts around a user's task (the futures of {@code submit} and
 * {@code schedule}): events, statistics and dumps name the user's class, not the wrapper's.
 */
interface TaskFunction {
    /** The class of the task the user gave. */
    Class<?> taskClass();

    /** The class that names {@code fn}: the user's task inside a runtime wrapper, else its own class. */
    static Class<?> of(Runnable fn) {
        return fn instanceof TaskFunction t ? t.taskClass() : fn.getClass();
    }
}
