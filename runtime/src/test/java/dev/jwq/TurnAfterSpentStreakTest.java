package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whose turn it is when a streak of run-next items has spent its quantum
 * ({@link Worker#turnAfterSpentStreak}): the first waiting item of another workqueue that no
 * other running worker runs an item of; the streak's own item if every other workqueue waiting
 * has such a worker; the worklist's first item of another workqueue, as before, if the scan
 * stops before the worklist's end. Decided under the pool lock from the workers' current pwqs
 * and the worklist, so the tests set both up in a pool whose workers never start, and ask.
 */
class TurnAfterSpentStreakTest {
    private WorkerPool pool;
    private Worker streaker;
    private Worker other;
    private PoolWorkqueue ordered;
    private PoolWorkqueue busy;
    private PoolWorkqueue idle;
    /** The streak's run-next item, once {@link #turnAtStreakEnd} has queued it. */
    private Work streakItem;
    private final List<Workqueue> workqueues = new ArrayList<>();

    @BeforeEach
    void setUp() {
        pool = new WorkerPool(90_010, Cpus.cpuAt(0), false);
        ordered = pwq("ordered");
        busy = pwq("busy");
        idle = pwq("idle");
        pool.lock();
        streaker = worker(0);
        other = worker(1);
    }

    @AfterEach
    void tearDown() {
        // Nothing left for the unlock to hand a worker, and no worker counted as running.
        while (pool.worklist.pollFirst() != null) {
            // drain
        }
        for (Worker w : pool.workers) {
            w.currentPwq = null;
            w.leaveRunning();
        }
        pool.unlock();
        workqueues.forEach(Workqueue::shutdownNow);
    }

    /** The busy workqueue has a worker of its own: the ordered streak keeps its worker. */
    @Test
    void aStreakGoesOnWhenTheWorkqueueWaitingHasAWorkerAlready() {
        running(other, busy);
        onWorklist(busy);
        onWorklist(busy);
        Work turn = turnAtStreakEnd();
        assertSame(streakItem, turn);
    }

    /** A workqueue nobody runs goes first, ahead of older items of one that has a worker. */
    @Test
    void aWorkqueueWithoutAWorkerTakesTheTurnBeforeOneWithAWorker() {
        running(other, busy);
        Work b1 = onWorklist(busy);
        Work i1 = onWorklist(idle);
        assertSame(i1, turnAtStreakEnd());
    }

    /** A worker blocked in an item (not counted as running) does not count as the workqueue's worker. */
    @Test
    void aWorkqueueWhoseWorkerIsBlockedTakesTheTurn() {
        other.currentPwq = busy; // never entered running: counted as blocked would be
        Work b1 = onWorklist(busy);
        assertSame(b1, turnAtStreakEnd());
    }

    /** The streak's own workqueue running on another worker does not keep the streak going. */
    @Test
    void aStreakYieldsToAWorkqueueWithoutAWorkerWhileItsOwnRunsElsewhere() {
        running(other, ordered);
        Work b1 = onWorklist(busy);
        assertSame(b1, turnAtStreakEnd());
    }

    /**
     * Past the scan's bound nothing is known of the items further on (one may be of a workqueue
     * nobody runs): the turn goes to the worklist's first item of another workqueue, as before.
     */
    @Test
    void aScanThatStopsBeforeTheWorklistsEndYieldsAsBefore() {
        running(other, busy);
        Work b1 = onWorklist(busy);
        for (int i = 1; i < Worker.OTHER_WORKQUEUE_SCAN; i++) {
            onWorklist(busy);
        }
        onWorklist(idle);
        assertSame(b1, turnAtStreakEnd());
    }

    /**
     * The ordered workqueue's streak ends on the streaker: its next item ({@link #streakItem})
     * waits at the worklist's end; whose turn is it?
     */
    private Work turnAtStreakEnd() {
        streakItem = onWorklist(ordered);
        running(streaker, ordered);
        return streaker.turnAfterSpentStreak(pool, streakItem);
    }

    private PoolWorkqueue pwq(String name) {
        Workqueue wq = Workqueue.builder("turn-" + name).build();
        workqueues.add(wq);
        return new PoolWorkqueue(wq, pool, 16, 0, null);
    }

    private Worker worker(int id) {
        Worker w = new Worker(pool, id, "turn-test-" + id);
        pool.workers.add(w);
        return w;
    }

    /** {@code w} counts as running and runs an item of {@code pwq}. */
    private static void running(Worker w, PoolWorkqueue pwq) {
        w.enterRunning();
        w.currentPwq = pwq;
    }

    /** A fresh item of {@code pwq}, active, at the worklist's end. */
    private Work onWorklist(PoolWorkqueue pwq) {
        String name = pwq.wq.name() + "#" + pool.worklist.size();
        Work w = new Work(new Runnable() {
            @Override
            public void run() {}

            @Override
            public String toString() {
                return name;
            }
        });
        w.spPendingFresh();
        w.soQueued(pwq, 0, false);
        pool.worklist.addLast(w);
        return w;
    }
}
