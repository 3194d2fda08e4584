package dev.jwq.spi;

import dev.jwq.DelayedWork;
import dev.jwq.Work;
import dev.jwq.Workqueue;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the SPI classes reach what the runtime keeps package-private: the runtime installs its
 * side once, the first time an SPI class asks for it. Not for applications, and not for agents
 * either: they use {@link SettingsCheck}, {@link PendingWork} and {@link WorkCounts}.
 */
public final class RuntimeSide {
    /** The runtime's side; implemented in package {@code dev.jwq} only. */
    public interface Side {
        /** Why this process's {@code jwq.*} system properties are refused, or null. */
        String settingsProblem();

        /** Makes {@code b}'s workqueue a daemon one ({@link DaemonWorkqueues}). */
        Workqueue.Builder daemon(Workqueue.Builder b);

        /** Queues {@code w}, never queued before, as execute() queues the item it makes ({@link FreshWork}). */
        void queueFresh(Workqueue wq, Work w);

        /** As {@link #queueFresh}, after {@code delay} ({@link FreshWork#queueDelayed}). */
        void queueDelayedFresh(Workqueue wq, DelayedWork w, Duration delay);

        /** The items of {@code wq} queued and not started. */
        List<PendingWork.Item> pending(Workqueue wq);

        /** The items of {@code wq} running now. */
        int running(Workqueue wq);

        /** The items of {@code wq} queued and not finished ({@link WorkCounts#inFlight}). */
        int inFlight(Workqueue wq);

        /** The items of {@code wq} that finished ({@link WorkCounts#completed}). */
        long completed(Workqueue wq);

        /** Runs {@code action} once {@code wq} has terminated ({@link OnTermination}). */
        void whenTerminated(Workqueue wq, Runnable action);
    }

    /** Loading it installs the runtime's side (its static initialiser calls {@link #install}). */
    private static final String IMPLEMENTATION = "dev.jwq.SpiAccess";

    private static volatile Side side; // V: set once by the runtime

    private RuntimeSide() {}

    /** Called once by the runtime's implementation; a second call throws {@link IllegalStateException}. */
    public static synchronized void install(Side s) {
        Objects.requireNonNull(s, "side is null");
        if (side != null) {
            throw new IllegalStateException("the runtime's SPI side is already installed: " + side);
        }
        side = s;
    }

    static Side get() {
        Side s = side;
        if (s == null) {
            try {
                Class.forName(IMPLEMENTATION, true, RuntimeSide.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the jwq runtime is incomplete: no " + IMPLEMENTATION, e);
            }
            s = side;
        }
        return s;
    }
}
