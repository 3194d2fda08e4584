package dev.jwq.agent.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * <p>Cost: the name is the thread's Java name only ({@code Thread.getName()}, what logging
 * frameworks, {@code jstack} and JFR show); it is written straight into {@code Thread}'s
 * {@code name} field, which the agent may reach since {@code java.lang} is opened to the
 * runtime's module. {@link Thread#setName} would also set the OS thread's name, a {@code prctl}
 * system call per write: 1.2 us per task for the two writes on this machine, against tens of
 * nanoseconds for the field (docs/agent.md). Where the field cannot be reached (another JDK),
 * {@code setName} is used.
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

    /** Names {@code t} (the calling thread) {@code name}: its Java name only, when the field can be reached. */
    static void set(Thread t, String name) {
        VarHandle f = NameField.HANDLE;
        if (f != null) {
            // Release, not volatile: readers (getName, a log line on another thread) read the
            // field volatile and see this name or the one before; the store-load fence of a
            // volatile write, twice per task, ordered nothing anyone reads.
            f.setRelease(t, name);
        } else {
            t.setName(name);
        }
    }

    /**
     * {@code Thread.name}, or null when it cannot be reached; looked up on first use (by then
     * java.lang is opened to us). A constant once initialised, so the JIT inlines the write: a
     * handle read from a mutable field is invoked through the generic path, tens of nanoseconds
     * a write, twice per task.
     */
    private static final class NameField {
        static final VarHandle HANDLE = find();

        private static VarHandle find() {
            try {
                return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                        .findVarHandle(Thread.class, "name", String.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // setName then: the same name, plus the OS thread's
            }
        }
    }
}
