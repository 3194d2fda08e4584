package org.example.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Executors made through method references to the factories and the constructors: each runs a
 * task and says on which thread.
 */
public final class MethodReferences {
    /** ThreadPoolExecutor's five-argument constructor as a function. */
    interface PoolMaker {
        ThreadPoolExecutor make(int core, int max, long keepAlive, TimeUnit unit, BlockingQueue<Runnable> queue);
    }

    public static void main(String[] args) throws Exception {
        Supplier<ExecutorService> cached = Executors::newCachedThreadPool;
        IntFunction<ExecutorService> fixed = Executors::newFixedThreadPool;
        Supplier<ExecutorService> single = Executors::newSingleThreadExecutor;
        IntFunction<ExecutorService> scheduled = Executors::newScheduledThreadPool;
        Supplier<ExecutorService> stealing = Executors::newWorkStealingPool;
        IntFunction<ScheduledExecutorService> stpe = ScheduledThreadPoolExecutor::new;
        PoolMaker tpe = ThreadPoolExecutor::new;
        report("cached", cached.get());
        report("fixed", fixed.apply(2));
        report("single", single.get());
        report("scheduled", scheduled.apply(1));
        report("stealing", stealing.get());
        report("stpe-new", stpe.apply(1));
        report("tpe-new", tpe.make(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
        report("serializable", roundTrip((Supplier<ExecutorService> & Serializable) Executors::newSingleThreadExecutor).get());
    }

    /** {@code s} serialized and read back, as a lambda sent to another JVM is. */
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
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
