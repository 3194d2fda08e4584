package org.example.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;

/**
 * mode=observe: an application's ThreadPoolExecutor over a PriorityBlockingQueue of Comparable
 * tasks keeps its order, its remove and its shutdownNow list, and each task is one JFR event.
 */
public final class ObservedPools {
    record Job(int prio, Runnable body) implements Runnable, Comparable<Job> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Job o) {
            return Integer.compare(prio, o.prio);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> notes = new ArrayList<>();
        List<RecordedEvent> events = Recorded.events("dev.jwq.ExecutorTask", () -> {
            ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>());
            CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
            p.execute(new Job(-1, () -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            started.await();
            Job removed = new Job(0, () -> order.add(0));
            p.execute(removed);
            for (int prio : new int[] {3, 1, 2}) {
                p.execute(new Job(prio, () -> order.add(prio)));
            }
            notes.add("removed=" + p.remove(removed));
            release.countDown();
            p.shutdown();
            p.awaitTermination(30, TimeUnit.SECONDS);

            ThreadPoolExecutor q = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>());
            CountDownLatch qStarted = new CountDownLatch(1);
            q.execute(new Job(-1, () -> {
                qStarted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            qStarted.await();
            Job never = new Job(5, () -> { });
            q.execute(never);
            List<Runnable> returned = q.shutdownNow();
            notes.add("shutdownNow-returns-original=" + (returned.size() == 1 && returned.get(0) == never));
            q.awaitTermination(30, TimeUnit.SECONDS);
            notes.add("thread=" + Thread.currentThread().getName());
            return null;
        });
        System.out.println("order " + order);
        System.out.println("notes " + notes);
        System.out.println("events " + events.size() + " " + events.stream().map(e -> e.getString("function")).distinct().sorted().toList());
    }
}
