package org.example.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tiny tasks through the executors an application makes, for the agent's cost figures
 * ({@code CostBench}): a fixed pool of ncpu ({@code Executors.newFixedThreadPool}: one work item
 * per task under the agent), the same as a {@code new ThreadPoolExecutor} whose queue is looked
 * at ({@code getQueue()}: the caller's queue behind runners), and a fixed pool with a named
 * factory (the task's thread renamed under the agent). One submitting thread, {@code tasks} per
 * round, the best of {@code rounds} rounds, in ns per task.
 */
public final class PoolThroughput {
    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int n = Runtime.getRuntime().availableProcessors();
        ExecutorService fixed = Executors.newFixedThreadPool(n);
        ThreadPoolExecutor looked = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        looked.getQueue();
        ExecutorService named = Executors.newFixedThreadPool(n, r -> new Thread(r, "worker-" + r.hashCode()));
        for (String what : new String[] {"fixed", "queue-looked-at", "named-factory"}) {
            ExecutorService e = what.equals("fixed") ? fixed : what.equals("named-factory") ? named : looked;
            long best = Long.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                best = Math.min(best, round(e, tasks));
            }
            System.out.println(what + "-ns-per-task " + best / tasks);
            e.shutdown();
        }
        System.out.println("rss-peak-kb " + status("VmHWM"));
    }

    /** One round: {@code tasks} tiny tasks from this thread, in ns until the last has run. */
    static long round(ExecutorService e, int tasks) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        LongAdder sink = new LongAdder();
        long t0 = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            e.execute(() -> {
                sink.increment();
                done.countDown();
            });
        }
        done.await();
        return System.nanoTime() - t0;
    }

    /** A field of /proc/self/status in kB (VmHWM: the peak resident set), or -1. */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
