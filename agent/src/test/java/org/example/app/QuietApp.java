package org.example.app;

import java.lang.reflect.Constructor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * What a user runs under the agent (after {@link QuietHello}): a program with an executor, which
 * starts the jwq runtime and its native CPU calls. Prints what it saw on standard output;
 * the test reads standard error for anything the JVM, the JDK or the agent said.
 */
public final class QuietApp {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "executor" -> {
                ExecutorService pool = Executors.newFixedThreadPool(2);
                System.out.println("thread " + pool.submit(() -> Thread.currentThread().getName()).get());
                pool.shutdown();
            }
            case "opens" -> {
                ExecutorService pool = Executors.newFixedThreadPool(1); // starts jwq: the agent grants what it needs then
                pool.submit(() -> { }).get();
                pool.shutdown();
                // The probe is on the bootstrap class path: the runtime's module under the agent.
                Class<?> probe = Class.forName("org.example.boot.OpenProbe", true, null);
                System.out.println("runtime-module " + probe.getMethod("reachVirtualThreadBuilder").invoke(null));
                System.out.println("application " + reach());
            }
            case "restricted" -> {
                ExecutorService pool = Executors.newFixedThreadPool(1); // the runtime binds its native calls
                System.out.println("thread " + pool.submit(() -> Thread.currentThread().getName()).get());
                pool.shutdown();
                bindGetpid();
                System.out.println("app bound getpid");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Linker.nativeLinker().downcallHandle(getpid): a restricted method, called by this class (reflection: the tests compile for Java 21). */
    private static void bindGetpid() throws Exception {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
        Object getpid = ((java.util.Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, "getpid"))
                .orElseThrow();
        Object jint = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
        Object layouts = java.lang.reflect.Array.newInstance(layoutType, 0);
        Object descriptor = descriptorType.getMethod("of", layoutType, layouts.getClass()).invoke(null, jint, layouts);
        Object options = java.lang.reflect.Array.newInstance(Class.forName("java.lang.foreign.Linker$Option"), 0);
        linkerType.getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
                .invoke(linker, getpid, descriptor, options);
    }

    private static String reach() {
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            return "accessible";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "refused (" + e.getClass().getSimpleName() + ")";
        }
    }
}
