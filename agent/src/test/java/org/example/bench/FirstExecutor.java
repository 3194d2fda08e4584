package org.example.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a program's first executor costs it: the time to make {@code Executors.newFixedThreadPool(2)}
 * (under the agent, the first use of the jwq runtime) and then to run a first task through it,
 * in microseconds. For {@code docs/agent.md}: run it with and without {@code -javaagent}.
 */
public final class FirstExecutor {
    private FirstExecutor() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        ExecutorService e = Executors.newFixedThreadPool(2);
        long t1 = System.nanoTime();
        e.submit(Thread::yield).get();
        long t2 = System.nanoTime();
        System.out.println("make-us " + (t1 - t0) / 1000 + " first-task-us " + (t2 - t1) / 1000
                + " (" + e.getClass().getSimpleName() + ")");
        e.shutdown();
        e.awaitTermination(10, TimeUnit.SECONDS);
    }
}
