package org.example.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * main returns while executors made from a daemon ThreadFactory still have work: a periodic task
 * (RxJava's purge task is one) and a task blocked for good. Daemon threads never hold the JVM, so
 * it must exit; a non-daemon executor's accepted task still runs first.
 */
public final class DaemonPools {
    public static void main(String[] args) {
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "daemon-pool");
            t.setDaemon(true);
            return t;
        };
        ScheduledExecutorService periodic = Executors.newScheduledThreadPool(1, daemons);
        periodic.scheduleAtFixedRate(() -> { }, 10, 10, TimeUnit.MILLISECONDS);
        ExecutorService blocked = Executors.newCachedThreadPool(daemons);
        blocked.execute(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ScheduledExecutorService plain = Executors.newScheduledThreadPool(1);
        plain.schedule(() -> System.out.println("late-task-ran"), 300, TimeUnit.MILLISECONDS);
        plain.shutdown(); // accepted delayed work still runs, then its threads end
        System.out.println("main-done");
    }
}
