package dev.jwq.agent.boot;

/**
 * The name a jwq worker carries while it runs a task of a rewritten executor: the executor's
 * identity, then the worker's own name, {@code okhttp-worker@jwq/u4:1} (the identity is the
 * workqueue's name: the factory's thread name without its counter, or the call site
 * {@code Client.start:42} for the JDK's default factory). A log line's thread column then shows
 * which executor ran the task, as the factory's threads did, and which jwq worker, as
 * {@code jwq dump} lists them; the worker's own name comes back when the task ends (and the
 * task's own renaming, if any, goes). {@code names=false} turns it off: tasks then see the
 * worker's name.
 *
 * <p>Cost: two {@link Thread#setName} calls per task, each a {@code prctl} on Linux for a
 * platform thread (none for a virtual one), and one string per task; measured in
 * {@code bench/} ({@code ThreadNameBenchmark}) and docs/agent.md.
 */
public final class TaskThreadNames {
    private static volatile boolean enabled = true; // V: set once by premain

    private TaskThreadNames() {}

    /** Called by premain with the {@code names} option. */
    public static void enabled(boolean on) {
        enabled = on;
    }

    /** The prefix tasks of the executor named {@code identity} put before the worker's name, or null when off. */
    static String prefix(String identity) {
        return enabled ? identity + "@" : null;
    }
}
