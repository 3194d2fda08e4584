package dev.jwq.samples.sprawl;

import dev.jwq.Workqueues;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one seam through which the sprawl app's libraries create executors and block, chosen by
 * the system property {@code sprawl.executors}: {@code jdk} (default) calls
 * {@link java.util.concurrent.Executors} and {@code new ThreadPoolExecutor(...)} as the libraries
 * would; {@code jwq} calls their {@link Workqueues} twins, and tells concurrency management
 * about every blocking call ({@link Workqueues#blocking}).
 *
 * <p>This seam stands in for the agent: with {@code -javaagent:jwq-agent.jar} the app runs with
 * {@code sprawl.executors=jdk}, the agent rewrites the {@code Executors} calls below onto jwq, and
 * its hooks in {@code LockSupport.park}/{@code Thread.sleep} report the blocking. The launcher
 * switches in one place ({@code dev.jwq.samples.Sprawl#JWQ_RUN}).
 */
public final class ExecutorFactory {
    /** Which executors the app uses. */
    public enum Kind { JDK, JWQ }

    /** Kind of this process, from {@code sprawl.executors}. */
    public static final Kind KIND = kind(System.getProperty("sprawl.executors", "jdk"));

    private ExecutorFactory() {}

    static Kind kind(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "jdk" -> Kind.JDK;
            case "jwq" -> Kind.JWQ;
            default -> throw new IllegalArgumentException("sprawl.executors=" + value + " is neither jdk nor jwq");
        };
    }

    static ExecutorService fixed(int n, ThreadFactory tf) {
        return KIND == Kind.JWQ ? Workqueues.newFixedThreadPool(n, tf) : Executors.newFixedThreadPool(n, tf);
    }

    static ExecutorService cached(ThreadFactory tf) {
        return KIND == Kind.JWQ ? Workqueues.newCachedThreadPool(tf) : Executors.newCachedThreadPool(tf);
    }

    static ExecutorService single(ThreadFactory tf) {
        return KIND == Kind.JWQ ? Workqueues.newSingleThreadExecutor(tf) : Executors.newSingleThreadExecutor(tf);
    }

    static ScheduledExecutorService scheduled(int n, ThreadFactory tf) {
        return KIND == Kind.JWQ ? Workqueues.newScheduledThreadPool(n, tf) : Executors.newScheduledThreadPool(n, tf);
    }

    static ScheduledExecutorService singleScheduled(ThreadFactory tf) {
        return KIND == Kind.JWQ ? Workqueues.newSingleThreadScheduledExecutor(tf)
                : Executors.newSingleThreadScheduledExecutor(tf);
    }

    /**
     * {@code new ThreadPoolExecutor(core, max, keepAlive, unit, queue, tf)}. With an unbounded
     * queue a TPE never grows past core (it adds threads beyond core only when its queue is
     * full), so the twin is a workqueue with max_active = core; other queues are refused.
     */
    static ExecutorService threadPool(int core, int max, long keepAlive, TimeUnit unit,
            BlockingQueue<Runnable> queue, ThreadFactory tf) {
        if (KIND == Kind.JDK) {
            return new ThreadPoolExecutor(core, max, keepAlive, unit, queue, tf);
        }
        if (queue.remainingCapacity() != Integer.MAX_VALUE || !queue.isEmpty()) {
            throw new IllegalArgumentException("the jwq seam maps only an empty unbounded queue, got " + queue);
        }
        return Workqueues.newFixedThreadPool(core, tf);
    }

    /** Runs a blocking call (socket read, query, wait for another library's result). */
    static <T> T blocking(Callable<T> call) {
        try {
            return KIND == Kind.JWQ ? Workqueues.blocking(call) : call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Thread names as a library names them: {@code prefix-1}, {@code prefix-2}, ... */
    static ThreadFactory named(String prefix) {
        AtomicInteger seq = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + seq.incrementAndGet());
    }
}
