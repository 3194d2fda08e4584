package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What a must-happen wait that failed reports ({@link StallReport}), and that a held pool lock cannot hang it. */
class StallReportTest extends WorkqueueFixture {

    @Test
    void namesTheWorkqueueWithItemsInFlightAndStaysBoundedWhileItsPoolLockIsHeld() throws Exception {
        Workqueue wq = track(Workqueue.builder("stall-report").build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = gate();
        wq.execute(() -> {
            started.countDown();
            block(release, "the item in flight");
        });
        await(started, "the item's start");
        String report = StallReport.now();
        assertTrue(report.contains("stall-report: pwq of pool"), report);
        assertTrue(report.contains("in flight 1"), report);
        assertTrue(report.contains("--- runtime dump ---"), report);

        // Its pool's lock held by another thread: the pwq is named, and the report returns.
        WorkerPool pool = wq.pwqs().get(0).pool;
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlock = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            pool.lock();
            try {
                locked.countDown();
                unlock.await();
            } catch (InterruptedException e) {
                problems.add("holder interrupted");
            } finally {
                pool.unlock();
            }
        }, "lock-holder");
        holder.start();
        await(locked, "the pool lock taken");
        String busy = StallReport.now();
        unlock.countDown();
        holder.join();
        release.countDown();
        assertTrue(busy.contains("stall-report: pool " + pool.id + "'s lock busy"), busy);
        assertTrue(busy.contains("lock-holder"), busy);
        assertTrue(busy.contains("did not finish within"), busy);
        assertNoProblems();
    }
}
