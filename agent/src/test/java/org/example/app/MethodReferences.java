package org.example.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Executors made through method references to the factories: each runs a task and says on which thread. */
public final class MethodReferences {
    public static void main(String[] args) throws Exception {
        Supplier<ExecutorService> cached = Executors::newCachedThreadPool;
        IntFunction<ExecutorService> fixed = Executors::newFixedThreadPool;
        Supplier<ExecutorService> single = Executors::newSingleThreadExecutor;
        IntFunction<ExecutorService> scheduled = Executors::newScheduledThreadPool;
        Supplier<ExecutorService> stealing = Executors::newWorkStealingPool;
        report("cached", cached.get());
        report("fixed", fixed.apply(2));
        report("single", single.get());
        report("scheduled", scheduled.apply(1));
        report("stealing", stealing.get());
    }

    private static void report(String kind, ExecutorService e) throws Exception {
        String thread = e.submit(() -> Thread.currentThread().getName()).get();
        e.shutdown();
        if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(kind + " did not terminate");
        }
        System.out.println("executor " + kind + " [" + thread + "]");
    }
}
