package dev.jwq.jfr;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The "function" of a work item, the JVM's answer to the kernel's {@code %ps} of
 * {@code work->func}: the binary name of the task's class, with the address JVMs append to a
 * hidden class (a lambda: {@code com.acme.Cache$$Lambda/0x00007f...}) cut off so the name is
 * the same in every run and every JVM. Cached with weak keys so that application class loaders
 * can still unload; looked up when an event is being recorded, and by the runtime's dumps.
 */
public final class FunctionNames {
    // Maintenance on the calling thread: Caffeine's default executor, the common ForkJoinPool, would
    // start a pool thread outside jwq for a cache this small.
    private static final Cache<Class<?>, String> NAMES =
            Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    private FunctionNames() {
    }

    /** The function name of {@code task}'s class, or null for null. */
    public static String of(Class<?> task) {
        return task == null ? null : NAMES.get(task, FunctionNames::compute);
    }

    static String compute(Class<?> task) {
        String name = task.getName();
        if (task.isHidden()) {
            int slash = name.indexOf('/');
            if (slash > 0) {
                name = name.substring(0, slash);
            }
        }
        return name;
    }
}
