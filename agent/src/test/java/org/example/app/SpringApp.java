package org.example.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Spring's ThreadPoolTaskExecutor and ThreadPoolTaskScheduler, which since Spring 6.1 make
 * anonymous subclasses of ThreadPoolExecutor and ScheduledThreadPoolExecutor (for their task
 * decorator and pause/resume hooks): tasks through both, with a TaskDecorator, fixed-rate
 * repetition, cancellation, the executor's statistics and a graceful shutdown.
 */
public final class SpringApp {
    public static void main(String[] args) throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger decorated = new AtomicInteger();

        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(4);
        executor.setThreadNamePrefix("spring-exec-");
        executor.setTaskDecorator(task -> () -> {
            decorated.incrementAndGet();
            task.run();
        });
        executor.initialize();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            results.add(executor.submit(() -> {
                threads.add(Thread.currentThread().getName().replaceAll("\\d+$", "N"));
                return n;
            }));
        }
        int sum = 0;
        for (Future<Integer> f : results) {
            sum += f.get(30, TimeUnit.SECONDS);
        }
        System.out.println("executor-sum " + sum + " decorated " + decorated.get());
        System.out.println("executor-class " + executor.getThreadPoolExecutor().getClass().getSuperclass().getName());
        System.out.println("executor-threads " + new TreeSet<>(threads));
        System.out.println("executor-queue " + executor.getQueueSize() + " active " + executor.getActiveCount());

        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("spring-sched-");
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.initialize();
        Set<String> schedThreads = ConcurrentHashMap.newKeySet();
        CountDownLatch fiveTimes = new CountDownLatch(5);
        ScheduledFuture<?> rate = scheduler.scheduleAtFixedRate(() -> {
            schedThreads.add(Thread.currentThread().getName().replaceAll("\\d+$", "N"));
            fiveTimes.countDown();
        }, java.time.Duration.ofMillis(5));
        System.out.println("scheduler-repeated " + fiveTimes.await(30, TimeUnit.SECONDS));
        rate.cancel(false);
        ScheduledFuture<?> never = scheduler.schedule(() -> System.out.println("never-ran"),
                java.time.Instant.now().plusSeconds(60));
        never.cancel(false);
        System.out.println("scheduler-queue-after-cancel " + scheduler.getScheduledThreadPoolExecutor().getQueue().size());
        System.out.println("scheduler-class " + scheduler.getScheduledExecutor().getClass().getSuperclass().getName());
        System.out.println("scheduler-threads " + new TreeSet<>(schedThreads));

        executor.shutdown();
        scheduler.shutdown();
        System.out.println("terminated " + executor.getThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS)
                + " " + scheduler.getScheduledThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS));
    }
}
