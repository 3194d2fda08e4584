package benchapp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stands for an application's own code: the one class whose executors the benchmarks' agent
 * runs rewrite ({@code -javaagent:jwq-agent.jar=include=benchapp.AppPools}). It lives outside
 * {@code dev.jwq} because the agent never rewrites jwq's own classes, the benchmarks included;
 * every other executor of a benchmark is made in {@code dev.jwq.bench} and stays the JDK's.
 */
public final class AppPools {
    private AppPools() {}

    /**
     * {@code new ThreadPoolExecutor(n, n, 0 ms, new LinkedBlockingQueue<>())}, the pool
     * {@code Executors.newFixedThreadPool(n)} builds: a {@code JwqThreadPoolExecutor} under the
     * agent, a plain one without it.
     */
    public static ThreadPoolExecutor fixedThreadPool(int n) {
        return new ThreadPoolExecutor(n, n, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    /**
     * {@code Executors.newSingleThreadExecutor()}: an ordered workqueue under the agent (what a
     * logger's or an event bus's executor becomes), the JDK's own without it.
     */
    public static ExecutorService singleThreadExecutor() {
        return Executors.newSingleThreadExecutor();
    }
}
