package dev.jwq.samples;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import dev.jwq.Workqueues;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hundred workqueues served by a handful of threads.
 *
 * <p>A process made of 100 subsystems, each with its own executor, as libraries do it: 80
 * per-CPU style queues, 10 that allow 4 items at once, 10 that must run in order. Every
 * subsystem gets the same load from one producer thread per CPU: short CPU-bound items, and one
 * in ten that blocks for 2 ms as I/O would, wrapped in {@code Workqueues.blocking(...)}. The load runs twice: with one JDK thread pool per subsystem, then with one jwq
 * workqueue per subsystem on jwq's shared pools. It prints the threads each run needed and how
 * long it took, and exits non-zero if jwq did not serve all items with far fewer threads.
 *
 * <p>Arguments: {@code [itemsPerQueue]} (default 200).
 */
public final class HundredWorkqueues {
    private static final int QUEUES = 100;
    private static final int THREADS_PER_JDK_POOL = 4;

    private HundredWorkqueues() {}

    /** How one subsystem's executor is made in a run. */
    private interface Factory {
        ExecutorService create(int i);
    }

    private record Result(String name, long items, int peakThreads, int distinctRunners, long millis,
            java.util.Map<String, Long> byPool) {}

    public static void main(String[] args) throws Exception {
        int perQueue = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int ncpu = Runtime.getRuntime().availableProcessors();
        System.out.printf("jwq demo: %d subsystems, %d items each (50 us of CPU time; 1 in 10 blocks for 2 ms), %d CPUs%n%n",
                QUEUES, perQueue, ncpu);

        Result jdk = run("one JDK pool per subsystem", perQueue, i -> kind(i) == 2
                ? Executors.newSingleThreadExecutor()
                : Executors.newFixedThreadPool(THREADS_PER_JDK_POOL));
        Result jwq = run("one jwq workqueue per subsystem", perQueue, i -> switch (kind(i)) {
            case 0 -> Workqueue.builder("percpu-" + i).flags(WqFlag.PERCPU).build();
            case 1 -> Workqueue.builder("unbound-" + i).flags(WqFlag.UNBOUND).maxActive(THREADS_PER_JDK_POOL).build();
            default -> Workqueue.builder("ordered-" + i).ordered().build();
        });

        System.out.printf("%-34s %10s %14s %16s %10s%n", "run", "items", "peak threads", "threads that ran", "time (ms)");
        for (Result r : List.of(jdk, jwq)) {
            System.out.printf("%-34s %10d %14d %16d %10d%n", r.name, r.items, r.peakThreads, r.distinctRunners, r.millis);
        }
        long expected = (long) QUEUES * perQueue;
        boolean ok = jwq.items == expected && jdk.items == expected && jwq.distinctRunners * 4 <= jdk.distinctRunners;
        System.out.printf("%n%s: jwq ran all %d items of %d workqueues on %d worker threads, where one pool per"
                        + " subsystem needed %d.%n", ok ? "OK" : "FAILED", jwq.items, QUEUES, jwq.distinctRunners,
                jdk.distinctRunners);
        System.out.println("jwq worker threads by pool (jwq/<cpu>:<n> per-CPU, jwq/u<pool>:<n> unbound): " + jwq.byPool);
        System.exit(ok ? 0 : 1);
    }

    /** 0: per-CPU, 1: unbound max_active 4, 2: ordered. */
    private static int kind(int i) {
        return i < 80 ? 0 : i < 90 ? 1 : 2;
    }

    private static Result run(String name, int perQueue, Factory factory) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        int before = threads.getThreadCount();
        List<ExecutorService> executors = new ArrayList<>();
        for (int i = 0; i < QUEUES; i++) {
            executors.add(factory.create(i));
        }
        Set<String> runners = ConcurrentHashMap.newKeySet();
        AtomicLong ran = new AtomicLong();
        CountDownLatch done = new CountDownLatch(QUEUES * perQueue);
        long t0 = System.nanoTime();
        // Requests arrive on several threads, one per CPU, as in a service.
        int producers = Runtime.getRuntime().availableProcessors();
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p;
            senders.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                for (int n = first; n < perQueue; n += producers) {
                    for (int i = 0; i < QUEUES; i++) {
                        boolean blocks = (n + i) % 10 == 0;
                        executors.get(i).execute(() -> {
                            runners.add(Thread.currentThread().getName());
                            if (blocks) {
                                // The same code in both runs; on a jwq worker it tells
                                // concurrency management to start another item meanwhile.
                                Workqueues.blocking(() -> Cpu.sleepMillis(2));
                            } else {
                                Cpu.spinMicros(50);
                            }
                            ran.incrementAndGet();
                            done.countDown();
                        });
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            System.out.println(name + ": items still pending after 2 minutes");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        int peak = threads.getPeakThreadCount() - before;
        for (ExecutorService e : executors) {
            e.shutdown();
        }
        for (ExecutorService e : executors) {
            e.awaitTermination(1, TimeUnit.MINUTES);
        }
        java.util.Map<String, Long> byPool = new java.util.TreeMap<>();
        for (String r : runners) {
            byPool.merge(r.contains(":") ? r.substring(0, r.indexOf(':')) : "other", 1L, Long::sum);
        }
        return new Result(name, ran.get(), Math.max(peak, 0), runners.size(), millis, byPool);
    }
}
