package org.example.app;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;

/** report=true: executors made at rewritten sites are events; the rest is left alone and said why. */
public final class ReportedPools {
    /** A queue class of the application's own. */
    static final class OwnQueue extends LinkedBlockingQueue<Runnable> {
    }

    public static void main(String[] args) throws Exception {
        int[] line = new int[1];
        List<RecordedEvent> events = Recorded.events("dev.jwq.ExecutorRewritten", () -> {
            ExecutorService fixed = Executors.newFixedThreadPool(2); line[0] = new Throwable().getStackTrace()[0].getLineNumber();
            ThreadPoolExecutor own = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new OwnQueue());
            ForkJoinPool fj = (ForkJoinPool) Executors.newWorkStealingPool();
            fixed.submit(() -> { }).get(); // the JDK's pool would start its first thread here
            fixed.shutdown();
            own.shutdown();
            fj.shutdown();
            return null;
        });
        System.out.println("line " + line[0]);
        for (RecordedEvent e : events) {
            System.out.println("event " + e.getString("callSite") + " " + e.getString("originalFactory") + " " + e.getString("workqueue"));
        }
    }
}
