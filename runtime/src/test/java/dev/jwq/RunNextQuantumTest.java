package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Run-next items run ahead of the pool's worklist for one quantum
 * ({@link Worker#RUN_NEXT_QUANTUM_NANOS}) in a row, then the worklist has its turn:
 * <ul>
 *   <li>a pwq of one active item whose item ends hands its slot to its next waiting item, which
 *       the same worker runs next (one item per round of the worklist starved a busy pool's
 *       ordered workqueues);
 *   <li>an item a worker queues on its own pwq is held and runs next ({@link Worker#holdChained}).
 * </ul>
 * By time, not by count: a count of 8 gave a logger's tiny items a tenth of the CPU that a
 * chain of larger steps got. The tests fill one CPU's pool, whose single running worker makes
 * the order of runs exact.
 */
@Timeout(value = 120, unit = SECONDS)
class RunNextQuantumTest extends HeldItemFixture {
    /** Streak items between the worker's clock readings. */
    private static final int EVERY = Worker.RUN_NEXT_CLOCK_EVERY;
    /** Runs of the tiny items' scenario before it fails (see there). */
    private static final int ATTEMPTS = 60;

    /**
     * Items that each spin a third of the quantum: the clock, read at the EVERY-th run-next item,
     * finds the streak past its quantum whatever the machine does (a preempted worker only
     * makes it later), so exactly EVERY items run next, then the others' items have their turn.
     */
    @RepeatedTest(3)
    void aStreakOfLongerItemsEndsAtTheFirstClockReadingPastTheQuantum() throws Exception {
        int ones = EVERY + 3, others = 4;
        List<String> order = run(ones, others, Worker.RUN_NEXT_QUANTUM_NANOS / 3);
        List<String> expected = new ArrayList<>();
        // o0 from the worklist, then EVERY successors run next; then the next one goes to the
        // worklist's end, behind the other workqueue's items.
        for (int i = 0; i <= EVERY; i++) {
            expected.add("o" + i);
        }
        for (int i = 0; i < others; i++) {
            expected.add("x" + i);
        }
        for (int i = EVERY + 1; i < ones; i++) {
            expected.add("o" + i);
        }
        assertEquals(expected, order);
    }

    /**
     * Tiny items run next past the first clock reading while the streak is within its quantum
     * (a count of 8 stopped them at 8). A worker preempted for a quantum ends a streak early, and
     * so does code not yet compiled (a pass took 5-50 us in a fresh JVM's first runs), so the
     * scenario repeats until one streak stayed within it; in every run the items of each
     * workqueue keep their order and the streak is never shorter than EVERY.
     */
    @Test
    void tinyItemsRunNextForTheirQuantum() throws Exception {
        int ones = 3 * EVERY, others = 4;
        List<String> wholeStreak = new ArrayList<>();
        for (int i = 0; i < ones; i++) {
            wholeStreak.add("o" + i);
        }
        for (int i = 0; i < others; i++) {
            wholeStreak.add("x" + i);
        }
        List<String> last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            last = run(ones, others, 0);
            int streak = last.indexOf("x0") - 1;
            assertTrue(streak >= EVERY, "a streak of " + streak + " run-next items: " + last);
            assertEquals(wholeStreak.stream().filter(n -> n.startsWith("o")).toList(),
                    last.stream().filter(n -> n.startsWith("o")).toList(), "the ordered items' order");
            if (last.equals(wholeStreak)) {
                return;
            }
        }
        throw new AssertionError("no streak of tiny items ran past " + EVERY + " in " + ATTEMPTS + " runs; the last: " + last);
    }

    /**
     * A chain that keeps queueing its next step on its own pwq, each step held and run next,
     * steps spinning a third of the quantum: once the quantum is spent, the step refused its
     * pass without the lock is refused under it too, and the other workqueue's items run before
     * the chain goes on (they never ran before the chain's end when that second look allowed it).
     */
    @Test
    void aHeldChainYieldsToTheWorklistOnceItsQuantumIsSpent() throws Exception {
        assertHeldChainRuns(0);
    }

    /**
     * Turns go by workqueue: when the chain's quantum is spent, the other workqueue's items run
     * before the items of the chain's own workqueue that waited on the worklist ahead of them
     * ({@link Worker#OTHER_WORKQUEUE_SCAN}). Taken in worklist order, a logger's ordered
     * workqueue beside a busy workqueue's four chains got one turn in five (bench/README.md,
     * "Session 35").
     */
    @Test
    void aSpentStreakLetsAnotherWorkqueueGoBeforeItsOwnOlderItems() throws Exception {
        assertHeldChainRuns(3);
    }

    /**
     * Runs the held chain's scenario until enough runs held every step that matters (a worker
     * seen hogging holds nothing; the order is checked in those runs).
     */
    private void assertHeldChainRuns(int ownOlder) throws Exception {
        int held = 0;
        for (int attempt = 0; attempt < 10 && held < 3; attempt++) {
            if (heldChainScenario(ownOlder)) {
                held++;
            }
        }
        assertTrue(held > 0, "the chain's steps were never all held: this test exercises nothing");
    }

    /**
     * One run of the scenario above, with {@code ownOlder} items of the chain's workqueue queued
     * on the worklist after its first step and before the other workqueue's items; false (order
     * unchecked) if a step before the refusal was not held.
     */
    private boolean heldChainScenario(int ownOlder) throws Exception {
        int steps = 2 * EVERY + 4, others = 4;
        Workqueue chainWq = perCpu("chain");
        AtomicBoolean queued = new AtomicBoolean();
        Workqueue other = othersBehindAGate(queued);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch allRan = new CountDownLatch(steps + ownOlder + others);
        AtomicIntegerArray heldNext = new AtomicIntegerArray(steps);
        Work[] chain = new Work[steps];
        for (int i = 0; i < steps; i++) {
            int step = i;
            chain[i] = new Work(() -> {
                spin(Worker.RUN_NEXT_QUANTUM_NANOS / 3);
                order.add("c" + step);
                if (step + 1 < steps) {
                    chainWq.queueOn(cpu, chain[step + 1]);
                    heldNext.set(step, holding() ? 1 : 0);
                }
                allRan.countDown();
            });
        }
        assertTrue(chainWq.queueOn(cpu, chain[0]));
        awaitOnWorklist(chain[0]);
        // One wait per pwq, for its last item (a pwq activates its items in queueing order):
        // the gate must be released before the monitor finds it hogging (10 ms of CPU), or
        // another worker runs the items meanwhile.
        Work a = null;
        for (int i = 0; i < ownOlder; i++) {
            a = item("a" + i, order, allRan, 0);
            assertTrue(chainWq.queueOn(cpu, a));
        }
        if (a != null) {
            awaitOnWorklist(a);
        }
        Work x = null;
        for (int i = 0; i < others; i++) {
            x = item("x" + i, order, allRan, 0);
            assertTrue(other.queueOn(cpu, x));
        }
        awaitOnWorklist(x);
        queued.set(true);
        await(allRan, "every item's run");
        for (int step = 0; step <= EVERY; step++) {
            if (heldNext.get(step) == 0) {
                return false;
            }
        }
        // c0 from the worklist, EVERY steps passed on, the next refused: then the other
        // workqueue's first item, ahead of the chain's workqueue's older ones.
        int firstOther = order.indexOf("x0");
        assertEquals(EVERY + 1, firstOther, "steps run before the worklist's turn: " + order);
        if (ownOlder == 0) {
            assertEquals(List.of("x0", "x1", "x2", "x3"), order.subList(firstOther, firstOther + others), "order: " + order);
        } else {
            // After x0 no streak is spent: the worklist's order again, the chain's older items first.
            assertEquals(List.of("x0", "a0", "a1", "a2", "x1"), order.subList(firstOther, firstOther + ownOlder + 2), "order: " + order);
        }
        return true;
    }

    /**
     * Runs {@code ones} items of a pwq of one active item, each spinning {@code spinNanos}, and
     * {@code others} items of another workqueue, on one CPU's pool whose worker is held by a
     * gate item until all are queued: o0 first on the worklist, then the others' items, while
     * o1 and later wait for the slot. Returns the order they ran in.
     */
    private List<String> run(int ones, int others, long spinNanos) throws Exception {
        Workqueue one = track(Workqueue.builder("one-active").flags(WqFlag.PERCPU).maxActive(1).build());
        AtomicBoolean queued = new AtomicBoolean();
        Workqueue other = othersBehindAGate(queued);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch allRan = new CountDownLatch(ones + others);
        Work o0 = item("o0", order, allRan, spinNanos);
        assertTrue(one.queueOn(cpu, o0));
        awaitOnWorklist(o0);
        for (int i = 0; i < others; i++) {
            Work x = item("x" + i, order, allRan, 0);
            assertTrue(other.queueOn(cpu, x));
            awaitOnWorklist(x);
        }
        for (int i = 1; i < ones; i++) {
            assertTrue(one.queueOn(cpu, item("o" + i, order, allRan, spinNanos)));
        }
        queued.set(true);
        await(allRan, "every item's run");
        return order;
    }

    /**
     * The other workqueue of a scenario, whose gate item holds the CPU's one running worker
     * (spinning, so that nothing else runs there) until {@code queued} is set.
     */
    private Workqueue othersBehindAGate(AtomicBoolean queued) throws InterruptedException {
        Workqueue other = perCpu("others");
        AtomicBoolean gateRunning = new AtomicBoolean();
        cleanups.add(() -> queued.set(true));
        other.queueOn(cpu, new Work(() -> {
            gateRunning.set(true);
            spinUntil(queued);
        }));
        awaitTrue(gateRunning::get, "the gate item's start");
        return other;
    }

    /** Waits until {@code w} is on its pool's worklist (activated; read racily, as dumps do). */
    private static void awaitOnWorklist(Work w) throws InterruptedException {
        awaitTrue(() -> w.pwq != null && w.list == w.pwq.pool.worklist, w + " on the pool worklist");
    }

    private static Work item(String name, List<String> order, CountDownLatch ran, long spinNanos) {
        return new Work(() -> {
            spin(spinNanos);
            order.add(name);
            ran.countDown();
        });
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }
}
