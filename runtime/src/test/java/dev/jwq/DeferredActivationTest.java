package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pwq with room under max_active keeps its waiting items off the worklist while the
 * worklist covers the running workers ({@link WorkerPool#enoughReady}): they stay announced
 * until a worker wants one, and an item of another workqueue queued meanwhile does not wait
 * behind that backlog.
 *
 * <p>The workers are held by items that spin (no model sees them block). A spinner past the
 * CPU-intensive threshold (10 ms) stops counting, which lets the waiting items onto the
 * worklist, rightly; a round where that happened before the look is not counted, and the test
 * needs most rounds counted.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeferredActivationTest extends WorkqueueFixture {
    private static final int ROUNDS = 20, BACKLOG = 200;

    /**
     * Fails if the backlog goes to the worklist while every worker runs (Linux's rule, which
     * jwq followed before: activation up to max_active, 1024 by default).
     */
    @Test
    void aBacklogStaysOffTheWorklistWhileTheWorkersRun() throws Exception {
        int counted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Workqueue wq = track(Workqueue.builder("deferred-" + round).build());
            WorkerPool pool = wq.pwqs().get(0).pool;
            int n = pool.concurrency;
            AtomicBoolean stop = holdWorkers(wq, n);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < BACKLOG; i++) {
                wq.execute(ran::incrementAndGet);
            }
            Look look = lookUnderLock(pool);
            int onWorklist = look.onWorklist(), running = look.running();
            stop.set(true);
            awaitTrue(() -> ran.get() == BACKLOG, "the backlog's run");
            if (running < n) {
                continue; // a spinner counted as CPU-intensive before the look: room on the worklist is right
            }
            counted++;
            assertEquals(0, onWorklist, "round " + round + ": items on the worklist while " + n
                    + " workers of a pool of concurrency " + n + " ran");
        }
        assertTrue(counted >= ROUNDS / 2, "only " + counted + " of " + ROUNDS + " rounds looked before a spinner hogged");
    }

    /**
     * Two workqueues of one pool: a backlog of the first, then one item of the second, queued
     * while the workers run; once they are free the second's item starts among the first few,
     * and the first's items keep their order. Fails if activation moves a whole backlog to the
     * worklist (the second's item then starts after all of it).
     */
    @Test
    void aSecondWorkqueuesItemDoesNotWaitForTheFirstsBacklog() throws Exception {
        int counted = 0, early = 0, concurrency = 0;
        List<Integer> positions = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Workqueue first = track(Workqueue.builder("deferred-a-" + round).build());
            Workqueue second = track(Workqueue.builder("deferred-b-" + round).build());
            WorkerPool pool = first.pwqs().get(0).pool;
            assertTrue(pool == second.pwqs().get(0).pool, "two default workqueues share their unbound pool");
            int n = concurrency = pool.concurrency;
            AtomicBoolean stop = holdWorkers(first, n);
            List<Integer> order = new ArrayList<>(); // guarded by itself
            CountDownLatch all = new CountDownLatch(BACKLOG + 1);
            for (int i = 0; i < BACKLOG; i++) {
                int id = i;
                first.execute(() -> {
                    synchronized (order) {
                        order.add(id);
                    }
                    all.countDown();
                });
            }
            pool.lock(); // a lock holder's activation between the two queueings
            int running = pool.nrRunning;
            pool.unlock();
            second.execute(() -> {
                synchronized (order) {
                    order.add(-1);
                }
                all.countDown();
            });
            running = Math.min(running, pool.nrRunning);
            int ranBefore; // backlog items that a worker let in by a spinner's pause ran meanwhile
            synchronized (order) {
                ranBefore = order.size();
            }
            stop.set(true);
            await(all, "every item's run");
            if (running < n) {
                continue; // a spinner stopped counting meanwhile
            }
            counted++;
            synchronized (order) {
                int at = order.indexOf(-1) - ranBefore;
                positions.add(at);
                if (at <= 2 * n) {
                    early++;
                }
            }
        }
        assertTrue(counted >= ROUNDS / 2, "only " + counted + " of " + ROUNDS + " rounds looked before a spinner hogged");
        // Most rounds, not all: the order is that of the items' runs, and the worker that took
        // the second's item may lose its CPU before it runs it while another runs on.
        assertTrue(early >= counted * 3 / 4, "the second workqueue's item ran among the first " + 2 * concurrency
                + " of those left in only " + early + " of " + counted + " rounds; its places: " + positions);
    }

    /**
     * A backlog kept off the worklist behind running workers gets workers the moment those
     * block: every item of it runs while they stay blocked. Fails if only the worklist's
     * items were looked at when a worker stopped counting (the backlog would wait for the
     * blocked items' gate).
     */
    @Test
    void aBacklogKeptBehindRunningWorkersRunsOnceTheyBlock() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Workqueue wq = track(Workqueue.builder("deferred-blocking-" + round).build());
            WorkerPool pool = wq.pwqs().get(0).pool;
            int n = pool.concurrency;
            AtomicBoolean block = new AtomicBoolean();
            CountDownLatch gate = new CountDownLatch(1), running = new CountDownLatch(n);
            cleanups.add(() -> {
                block.set(true);
                gate.countDown();
            });
            for (int i = 0; i < n; i++) {
                wq.execute(() -> {
                    running.countDown();
                    HeldItemFixture.spinUntil(block);
                    Workqueues.blocking(() -> {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                });
            }
            await(running, "every worker running an item that will block");
            CountDownLatch backlog = new CountDownLatch(BACKLOG);
            for (int i = 0; i < BACKLOG; i++) {
                wq.execute(backlog::countDown);
            }
            block.set(true);
            await(backlog, "round " + round + ": the backlog's run while the items before it are blocked");
            assertEquals(1, gate.getCount(), "the gate stayed shut");
            gate.countDown();
        }
    }

    /**
     * Workers running one workqueue's items do not keep another workqueue's item off the
     * worklist: only a pwq's own running items hand their slots to its waiting ones. The
     * workers spin (counted as running), an ordered workqueue's item is queued, and a lock
     * holder looks: the item must be on the worklist. Fails when coverage counts any running
     * worker (session 24's rule): the item stayed announced, and next to chains of short steps,
     * which never hog and never block, it never ran (`MixedBenchmark` hung in its first
     * iteration, session 25).
     */
    @Test
    void workersRunningAnotherWorkqueuesItemsDoNotKeepAnItemOffTheWorklist() throws Exception {
        int counted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Workqueue busy = track(Workqueue.builder("deferred-busy-" + round).build());
            Workqueue logger = track(Workqueue.builder("deferred-logger-" + round).ordered().build());
            WorkerPool pool = busy.pwqs().get(0).pool;
            assertTrue(pool == logger.pwqs().get(0).pool, "the two workqueues share their unbound pool");
            int n = pool.concurrency;
            AtomicBoolean stop = holdWorkers(busy, n);
            CountDownLatch logged = new CountDownLatch(1);
            logger.execute(logged::countDown);
            Look look = lookUnderLock(pool);
            int onWorklist = look.onWorklist(), running = look.running();
            stop.set(true);
            await(logged, "the ordered workqueue's item's run");
            if (running < n) {
                continue; // a spinner counted as CPU-intensive before the look: the item was let in for that
            }
            counted++;
            assertEquals(1, onWorklist, "round " + round + ": the ordered workqueue's item on the worklist while "
                    + n + " workers ran another workqueue's items");
        }
        assertTrue(counted >= ROUNDS / 2, "only " + counted + " of " + ROUNDS + " rounds looked before a spinner hogged");
    }

    /** What a lock holder saw: the items on the worklist and the workers counted as running. */
    private record Look(int onWorklist, int running) {}

    /** Takes the pool lock, which activates what was announced as any lock holder does, and looks. */
    private static Look lookUnderLock(WorkerPool pool) {
        pool.lock();
        try {
            return new Look(pool.worklist.size(), pool.nrRunning);
        } finally {
            pool.unlock();
        }
    }

    /** Has {@code n} items of {@code wq} spin, one per worker the pool runs at once; returns the flag that ends them. */
    private AtomicBoolean holdWorkers(Workqueue wq, int n) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        cleanups.add(() -> stop.set(true));
        CountDownLatch spinning = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            wq.execute(() -> {
                spinning.countDown();
                HeldItemFixture.spinUntil(stop);
            });
        }
        await(spinning, "every worker running a spinner");
        return stop;
    }
}
