package org.example.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application that uses every Executors factory and every ThreadPoolExecutor and
 * ScheduledThreadPoolExecutor constructor. Prints, per executor, its class and the threads its
 * tasks ran on; then checks the shutdown contract and prints the threads alive.
 */
public final class EveryFactory {
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }

    public static void main(String[] args) throws Exception {
        Map<String, ExecutorService> all = new LinkedHashMap<>();
        all.put("fixed", Executors.newFixedThreadPool(3));
        all.put("fixed-tf", Executors.newFixedThreadPool(3, named("app-fixed")));
        all.put("cached", Executors.newCachedThreadPool());
        all.put("cached-tf", Executors.newCachedThreadPool(named("app-cached")));
        all.put("single", Executors.newSingleThreadExecutor());
        all.put("single-tf", Executors.newSingleThreadExecutor(named("app-single")));
        all.put("scheduled", Executors.newScheduledThreadPool(2));
        all.put("scheduled-tf", Executors.newScheduledThreadPool(2, named("app-scheduled")));
        all.put("single-scheduled", Executors.newSingleThreadScheduledExecutor());
        all.put("single-scheduled-tf", Executors.newSingleThreadScheduledExecutor(named("app-sscheduled")));
        all.put("work-stealing", Executors.newWorkStealingPool());
        all.put("work-stealing-2", Executors.newWorkStealingPool(2));
        all.put("tpe", new ThreadPoolExecutor(2, 4, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
        all.put("tpe-tf", new ThreadPoolExecutor(2, 4, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("app-tpe")));
        all.put("tpe-h", new ThreadPoolExecutor(2, 4, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100),
                new ThreadPoolExecutor.CallerRunsPolicy()));
        all.put("tpe-tf-h", new ThreadPoolExecutor(0, 64, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("app-tpe-h"), new ThreadPoolExecutor.AbortPolicy()));
        all.put("stpe", new ScheduledThreadPoolExecutor(1));
        all.put("stpe-tf", new ScheduledThreadPoolExecutor(1, named("app-stpe")));
        all.put("stpe-h", new ScheduledThreadPoolExecutor(1, new ThreadPoolExecutor.DiscardPolicy()));
        all.put("stpe-tf-h", new ScheduledThreadPoolExecutor(1, named("app-stpe-h"), new ThreadPoolExecutor.AbortPolicy()));

        for (Map.Entry<String, ExecutorService> e : all.entrySet()) {
            ExecutorService ex = e.getValue();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fs.add(ex.submit(() -> threads.add(Thread.currentThread().getName())));
            }
            if (ex instanceof ScheduledExecutorService s) {
                fs.add(s.schedule(() -> threads.add(Thread.currentThread().getName()), 5, TimeUnit.MILLISECONDS));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            System.out.println("executor " + e.getKey() + " " + ex.getClass().getName() + " " + new TreeSet<>(threads));
        }

        printAlive("alive-running ");

        for (Map.Entry<String, ExecutorService> e : all.entrySet()) {
            ExecutorService ex = e.getValue();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                ex.execute(ran::incrementAndGet);
            }
            ex.shutdown();
            String rejected;
            try {
                ex.execute(() -> { });
                rejected = "accepted-after-shutdown";
            } catch (RejectedExecutionException expected) {
                rejected = "rejected";
            }
            boolean terminated = ex.awaitTermination(30, TimeUnit.SECONDS);
            System.out.println("shutdown " + e.getKey() + " " + rejected + " terminated=" + terminated
                    + " isTerminated=" + ex.isTerminated() + " ran=" + ran.get());
        }

        printAlive("alive-after ");
    }

    private static void printAlive(String label) {
        List<String> alive = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            alive.add(t.getName());
        }
        alive.sort(null);
        System.out.println(label + String.join("|", alive));
    }
}
