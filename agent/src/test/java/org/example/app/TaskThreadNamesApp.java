package org.example.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The thread name a task sees, as a log line's thread column would show it, and what the worker is called after. */
public final class TaskThreadNamesApp {
    public static void main(String[] args) throws Exception {
        AtomicInteger n = new AtomicInteger();
        ExecutorService named = Executors.newFixedThreadPool(1, r -> new Thread(r, "okhttp-worker-" + n.incrementAndGet()));
        ExecutorService plain = Executors.newFixedThreadPool(1);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> new Thread(r, "RxCachedThreadScheduler-1"));
        ThreadPoolExecutor renaming = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
        System.out.println("named " + named.submit(TaskThreadNamesApp::name).get());
        System.out.println("plain " + plain.submit(TaskThreadNamesApp::name).get());
        System.out.println("scheduled " + scheduler.schedule(TaskThreadNamesApp::name, 1, TimeUnit.MILLISECONDS).get());
        // A task that renames its thread and does not put the name back: the next task sees the executor's name again.
        renaming.submit(() -> Thread.currentThread().setName("left-over")).get();
        System.out.println("after-rename " + renaming.submit(TaskThreadNamesApp::name).get());
        // The same worker, between tasks: its own name back.
        Thread[] worker = new Thread[1];
        named.submit(() -> worker[0] = Thread.currentThread()).get();
        named.shutdown();
        named.awaitTermination(30, TimeUnit.SECONDS);
        System.out.println("worker-after " + worker[0].getName());
        plain.shutdown();
        scheduler.shutdown();
        renaming.shutdown();
    }

    private static String name() {
        return Thread.currentThread().getName();
    }
}
