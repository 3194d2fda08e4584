package dev.jwq.spi;

import dev.jwq.Workqueue;

/**
 * Workqueues whose items and timers do not keep the JVM alive, as the threads of a daemon
 * {@code ThreadFactory} do not: the jwq agent makes the workqueue of a rewritten executor so
 * when its factory makes daemon threads (RxJava, Reactor, Netty, ForkJoinPool's), so that a
 * program that ends under the agent ends as it does without it. Without it a workqueue keeps
 * the JVM up while it has work in flight or a delayed item armed, as the non-daemon threads of
 * {@code Executors.defaultThreadFactory()} do.
 */
public final class DaemonWorkqueues {
    private DaemonWorkqueues() {}

    /** Makes the workqueue {@code builder} builds a daemon one; returns the builder. */
    public static Workqueue.Builder daemon(Workqueue.Builder builder) {
        return RuntimeSide.get().daemon(builder);
    }
}
