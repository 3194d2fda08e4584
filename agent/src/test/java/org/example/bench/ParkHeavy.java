package org.example.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;

/**
 * A park-heavy workload for the cost of the blocking hooks: two tasks of one fixed pool (a jwq
 * workqueue under the agent) hand a token back and forth through SynchronousQueues, so that every
 * hand-off parks one side and unparks the other; then the same between two plain threads (off jwq
 * workers, where a hook is only a type check); and park() with its permit already given, on a
 * worker and on main. Prints nanoseconds per hand-off or park, best of five rounds.
 */
public final class ParkHeavy {
    static final int HANDOFFS = 100_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("check")) {
            check();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long onWorkers = Long.MAX_VALUE, onThreads = Long.MAX_VALUE, parkWorker = Long.MAX_VALUE, parkThread = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            onWorkers = Math.min(onWorkers, pingPong(pool));
            onThreads = Math.min(onThreads, pingPongThreads());
            parkWorker = Math.min(parkWorker, pool.submit(ParkHeavy::parkWithPermit).get());
            parkThread = Math.min(parkThread, parkWithPermit());
        }
        pool.shutdown();
        System.out.println("handoff-workers " + onWorkers + " ns");
        System.out.println("handoff-threads " + onThreads + " ns");
        System.out.println("park-worker " + parkWorker + " ns");
        System.out.println("park-thread " + parkThread + " ns");
    }

    /**
     * park() with the permit already given returns at once: what is left is the cost of the call,
     * hooks included (on a worker, the runtime's sleeping/running bookkeeping).
     */
    static long parkWithPermit() {
        int n = 1_000_000;
        Thread self = Thread.currentThread();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            java.util.concurrent.locks.LockSupport.unpark(self);
            java.util.concurrent.locks.LockSupport.park();
        }
        return (System.nanoTime() - t0) / n;
    }

    /**
     * For BlockingHooksIT: says whether the runtime listens to the hooks, then runs four pairs of
     * hand-offs at once on one pool, so that the pool lock the hooks' bookkeeping takes is
     * contended; a permit lost there leaves a pair waiting forever.
     */
    static void check() throws Exception {
        dev.jwq.Workqueues.system();
        boolean handler = org.example.app.ParkOnLatch.handlerInstalled();
        System.out.println("handler " + handler);
        if (!handler) {
            return; // blocked tasks would not be replaced: with the sampler off, the pairs starve
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.List<Future<Long>> pairs = new java.util.ArrayList<>();
        ExecutorService drivers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            pairs.add(drivers.submit(() -> pingPong(pool)));
        }
        for (Future<Long> f : pairs) {
            System.out.println("handoff-workers " + f.get() + " ns");
        }
        drivers.shutdown();
        pool.shutdown();
    }

    static long pingPong(ExecutorService pool) throws Exception {
        SynchronousQueue<Integer> ab = new SynchronousQueue<>(), ba = new SynchronousQueue<>();
        long t0 = System.nanoTime();
        Future<?> a = pool.submit(() -> {
            for (int i = 0; i < HANDOFFS; i++) {
                ab.put(i);
                ba.take();
            }
            return null;
        });
        Future<?> b = pool.submit(() -> {
            for (int i = 0; i < HANDOFFS; i++) {
                ba.put(ab.take());
            }
            return null;
        });
        a.get();
        b.get();
        return (System.nanoTime() - t0) / (2L * HANDOFFS);
    }

    static long pingPongThreads() throws Exception {
        SynchronousQueue<Integer> ab = new SynchronousQueue<>(), ba = new SynchronousQueue<>();
        Thread b = new Thread(() -> {
            try {
                for (int i = 0; i < HANDOFFS; i++) {
                    ba.put(ab.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long t0 = System.nanoTime();
        b.start();
        for (int i = 0; i < HANDOFFS; i++) {
            ab.put(i);
            ba.take();
        }
        b.join();
        return (System.nanoTime() - t0) / (2L * HANDOFFS);
    }
}
