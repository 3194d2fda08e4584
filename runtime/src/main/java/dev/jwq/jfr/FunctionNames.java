package dev.jwq.jfr;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The "function" of a work item, the JVM's answer to the kernel's {@code %ps} of
 * {@code work->func}: the binary name of the task's class; for a lambda or method reference, the
 * method it calls ({@code com.acme.Cache::lambda$load$2}, see {@link LambdaNames}), so that two
 * lambdas of one class differ and a name is the same in every run. Where the JVM does not let jwq
 * read a lambda's class ({@code java.lang} not open to it), the hidden class's own name is kept,
 * address included ({@code com.acme.Cache$$Lambda/0x00007f...}): distinct within a run, not
 * across runs. Cached with weak keys so that application class loaders can still unload; looked
 * up when an event is being recorded, and by the runtime's dumps and warnings.
 */
public final class FunctionNames {
    /** Made on first use, so that a class path without Caffeine fails here, where it is caught. */
    private static final class Cached {
        // Maintenance on the calling thread: Caffeine's default executor, the common ForkJoinPool,
        // would start a pool thread outside jwq for a cache this small.
        static final Cache<Class<?>, String> NAMES = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    }

    private FunctionNames() {
    }

    /**
     * The function name of {@code task}'s class, or null for null. Never fails for a missing
     * cache: events, dumps and the watchdog name items from worker and monitor threads, which a
     * class path without Caffeine (a dependency left out of a hand-made class path) must not
     * break; the name is then worked out each time.
     */
    public static String of(Class<?> task) {
        if (task == null) {
            return null;
        }
        try {
            return Cached.NAMES.get(task, FunctionNames::compute);
        } catch (LinkageError cacheMissing) {
            return compute(task);
        }
    }

    static String compute(Class<?> task) {
        if (task.isHidden()) {
            String method = LambdaNames.of(task);
            if (method != null) {
                return method;
            }
        }
        return task.getName();
    }
}
