package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jwq.timer.TimerWheel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A concurrency model check of the work item state machine (the state word and transition
 * table of {@link Work}, DESIGN.md §2 "Work items" and §3a guarantees 1-12).
 *
 * <p>Each try builds a workqueue of a random {@link WorkqueueKind}, one or two work items
 * ({@link Work} or {@link DelayedWork}) and 3-4 threads with random operation sequences
 * (queue, queueOn, queueDelayed, modDelayed, cancel, cancelSync, flush, disable, enable), starts
 * the threads together on a {@link CyclicBarrier}, records every call's interval and result and
 * every run's entry and exit, lets the workqueue settle, and checks:
 * <ol>
 *   <li>(a) an item never runs concurrently with itself, and {@code Work.current()} /
 *       {@code isRunning()} are right inside its function;
 *   <li>(b) run accounting: runs == successful queues - successful cancel/cancelSync/disable,
 *       where a modDelayed returning true re-arms the pending instance (no run added) and one
 *       returning false on an enabled item queues one (one run added);
 *   <li>(c) disable depth: while the calling thread itself holds a disable, every queueing
 *       operation, cancel, cancelSync and disable return false and an enable that leaves the
 *       thread's own depth above 0 returns false; globally, the whole history must be
 *       linearizable against the sequential state machine {@code (pending, depth)} (see
 *       {@link Linearizer}), which pins down that enable returns true exactly when it takes the
 *       depth to zero, that queue never succeeds while disabled, and every result above;
 *   <li>flush/cancelSync wait: every run that entered before a flush() or cancelSync() was
 *       called has exited before that call returns (guarantees 5, 9);
 *   <li>(d) after settling (DelayedWork flush + drain), isPending() and isRunning() are false, and
 *       the item can be queued again and runs once.
 * </ol>
 * Operations issued from threads are kept valid: a thread only enables what it disabled, and
 * enables all of it before it ends.
 *
 * <p>Two example-based tests pin down interleavings the properties only reach by chance:
 * flush() against a later instance being cancelled, and DelayedWork.flush() against its timer
 * firing. Statistics (tries, operations, runs, how many operations really overlapped) are
 * printed once per run.
 */
class WorkStateModelTest {

    enum OpKind { QUEUE, QUEUE_ON, QUEUE_DELAYED, MOD_DELAYED, CANCEL, CANCEL_SYNC, FLUSH, DISABLE, ENABLE }

    /** One operation of a thread; {@code arg} picks a CPU (queueOn) or a delay (queueDelayed, modDelayed). */
    record Op(OpKind kind, int item, int arg, int gap) {
        Op(OpKind kind, int item, int arg) {
            this(kind, item, arg, 0);
        }

        @Override
        public String toString() {
            String a = switch (kind) {
                case QUEUE_ON -> "(cpu#" + arg + ")";
                case QUEUE_DELAYED, MOD_DELAYED -> "(" + DELAYS_NANOS[arg] / 1000 + "us)";
                default -> "";
            };
            return kind + a + "@" + item;
        }
    }

    /** A generated try: workqueue kind, item kinds (true = DelayedWork), run length, per-thread ops. */
    record Scenario(WorkqueueKind kind, List<Boolean> delayed, long spinNanos, List<List<Op>> threads) {}

    static final long[] DELAYS_NANOS = {0, 200_000, 1_000_000, 2_000_000};
    static final long[] SPIN_NANOS = {0, 2_000, 20_000, 100_000};
    /** Pause of a thread before an operation, so that the threads' operations interleave; the last choice is a yield. */
    static final long[] GAP_NANOS = {0, 1_000, 5_000, 20_000};

    /** Bound for anything that must happen: only reached when the runtime is broken. */
    static final long AWAIT_SECONDS = 20;

    /* --------------- Statistics, printed once per container --------------- */

    static final AtomicLong TRIES = new AtomicLong(), OPS = new AtomicLong(), RUNS = new AtomicLong(),
            TRUE_RESULTS = new AtomicLong(), LIN_STATES = new AtomicLong(), LIN_DECIDED = new AtomicLong(),
            LIN_MOST_STATES = new AtomicLong(),
            AMBIGUOUS_MODS = new AtomicLong(), EXCUSED_QUEUE_FALSE = new AtomicLong(), OVERLAPPING_OPS = new AtomicLong();

    @AfterContainer
    static void printStatistics() {
        System.out.printf("WorkStateModelTest: %d tries, %d ops (%d returned true), %d runs; %d linearizability checks"
                        + " decided (%d states searched, at most %d in one, budget %d); %d ambiguous modDelayed,"
                        + " %d queue-false excused, %d ops overlapping another thread's op on the same item%n",
                TRIES.get(), OPS.get(), TRUE_RESULTS.get(), RUNS.get(), LIN_DECIDED.get(), LIN_STATES.get(),
                LIN_MOST_STATES.get(), Linearizer.BUDGET, AMBIGUOUS_MODS.get(), EXCUSED_QUEUE_FALSE.get(),
                OVERLAPPING_OPS.get());
    }

    /* --------------- Properties --------------- */

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void plainWorkItems(@ForAll("plainScenarios") Scenario s) throws Exception {
        check(s);
    }

    @Property(tries = 6000, shrinking = ShrinkingMode.BOUNDED, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void delayedWorkItems(@ForAll("delayedScenarios") Scenario s) throws Exception {
        check(s);
    }

    @Provide
    Arbitrary<Scenario> plainScenarios() {
        return scenarios(Arbitraries.of(List.of(false), List.of(false, false)));
    }

    @Provide
    Arbitrary<Scenario> delayedScenarios() {
        return scenarios(Arbitraries.of(List.of(true), List.of(true, true), List.of(true, false)));
    }

    private static Arbitrary<Scenario> scenarios(Arbitrary<List<Boolean>> itemKinds) {
        Arbitrary<OpKind> kinds = Arbitraries.frequency(
                Tuple.of(5, OpKind.QUEUE), Tuple.of(3, OpKind.QUEUE_ON), Tuple.of(5, OpKind.QUEUE_DELAYED),
                Tuple.of(4, OpKind.MOD_DELAYED), Tuple.of(3, OpKind.CANCEL), Tuple.of(2, OpKind.CANCEL_SYNC),
                Tuple.of(2, OpKind.FLUSH), Tuple.of(2, OpKind.DISABLE), Tuple.of(2, OpKind.ENABLE));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, DELAYS_NANOS.length - 1),
                Arbitraries.integers().between(0, GAP_NANOS.length)).as(Op::new);
        Arbitrary<List<List<Op>>> threads = op.list().ofMinSize(1).ofMaxSize(10).list().ofMinSize(3).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(WorkqueueKind.class), itemKinds,
                        Arbitraries.integers().between(0, SPIN_NANOS.length - 1), threads)
                .as((k, items, spin, ts) -> new Scenario(k, items, SPIN_NANOS[spin], normalize(ts, items)));
    }

    /**
     * Makes raw sequences valid: item indexes in range, delayed-only operations on a plain Work
     * turned into queue/queueOn, an enable without a matching disable of the same thread turned
     * into a disable, and every disable enabled again at the end of its thread.
     */
    static List<List<Op>> normalize(List<List<Op>> raw, List<Boolean> delayed) {
        List<List<Op>> out = new ArrayList<>();
        for (List<Op> ops : raw) {
            int[] own = new int[delayed.size()];
            List<Op> t = new ArrayList<>();
            for (Op o : ops) {
                int item = o.item() % delayed.size();
                OpKind k = o.kind();
                if (!delayed.get(item)) {
                    if (k == OpKind.QUEUE_DELAYED) {
                        k = OpKind.QUEUE;
                    } else if (k == OpKind.MOD_DELAYED) {
                        k = OpKind.QUEUE_ON;
                    }
                }
                if (k == OpKind.ENABLE && own[item] == 0) {
                    k = OpKind.DISABLE;
                }
                if (k == OpKind.DISABLE) {
                    own[item]++;
                } else if (k == OpKind.ENABLE) {
                    own[item]--;
                }
                t.add(new Op(k, item, o.arg(), o.gap()));
            }
            for (int i = 0; i < own.length; i++) {
                while (own[i]-- > 0) {
                    t.add(new Op(OpKind.ENABLE, i, 0));
                }
            }
            out.add(t);
        }
        return out;
    }

    /* --------------- One try --------------- */

    /** A work item under test and what its function saw. */
    static final class Item {
        final int index;
        final boolean delayed;
        final Work work;
        final long spinNanos;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger wrongCurrent = new AtomicInteger();
        final AtomicInteger notRunning = new AtomicInteger();
        /** {entry, exit} nanoTime of each run, in entry order. */
        final List<long[]> runs = Collections.synchronizedList(new ArrayList<>());

        Item(int index, boolean delayed, long spinNanos) {
            this.index = index;
            this.delayed = delayed;
            this.spinNanos = spinNanos;
            Runnable fn = this::body;
            this.work = delayed ? new DelayedWork(fn) : new Work(fn);
        }

        private void body() {
            long entry = System.nanoTime();
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            if (Work.current() != work) {
                wrongCurrent.incrementAndGet();
            }
            if (!work.isRunning()) {
                notRunning.incrementAndGet();
            }
            if (spinNanos > 0) {
                long end = entry + spinNanos;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            long exit = System.nanoTime();
            runs.add(new long[] {entry, exit});
            inside.decrementAndGet();
        }

        @Override
        public String toString() {
            return (delayed ? "DelayedWork#" : "Work#") + index;
        }
    }

    /** A completed call: who, what, its interval and its result. */
    static final class Event {
        final int thread;
        final Op op;
        long call, ret;
        boolean result;
        /** The calling thread held a disable of the item when it called. */
        boolean heldByCaller;
        Throwable error;

        Event(int thread, Op op) {
            this.thread = thread;
            this.op = op;
        }

        String describe(long t0) {
            return String.format("t%d [%9.1f, %9.1f]us %-22s -> %s", thread, (call - t0) / 1e3, (ret - t0) / 1e3, op,
                    error != null ? error : op.kind() == OpKind.FLUSH ? "(" + result + ")" : result);
        }
    }

    static void check(Scenario s) throws Exception {
        TRIES.incrementAndGet();
        Workqueue wq = s.kind().create("model");
        Item[] items = new Item[s.delayed().size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i, s.delayed().get(i), s.spinNanos());
        }
        int n = s.threads().size();
        // The barrier action sets a common start instant a little ahead, that every thread spins
        // for: the threads woken by the barrier would otherwise start tens of microseconds apart.
        AtomicLong startAt = new AtomicLong();
        CyclicBarrier barrier = new CyclicBarrier(n, () -> startAt.set(System.nanoTime() + 100_000));
        List<List<Event>> events = new ArrayList<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            List<Event> out = new ArrayList<>();
            events.add(out);
            int ti = t;
            threads[t] = new Thread(() -> runOps(ti, s.threads().get(ti), wq, items, barrier, startAt, out, violations),
                    "model-t" + t);
            threads[t].setDaemon(true);
        }
        try {
            for (Thread t : threads) {
                t.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    fail("operation thread " + t.getName() + " did not finish within " + AWAIT_SECONDS + " s, stuck at:\n"
                            + stack(t) + "\n" + s);
                }
            }
            settle(wq, items);
            verify(s, items, events, violations);
            // The item is left enabled and idle: it queues again and runs once.
            for (Item it : items) {
                int before = it.runs.size();
                assertTrue(wq.queue(it.work), it + ": queue after the try returned false (left disabled or pending?)");
                it.work.flush(); // false if it already ran: either way it has finished now
                assertEquals(before + 1, it.runs.size(), it + ": final queue did not run exactly once before flush() returned");
            }
        } finally {
            for (Thread t : threads) {
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
            wq.shutdown();
        }
        assertTrue(wq.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS), wq + " did not terminate");
    }

    private static void runOps(int t, List<Op> ops, Workqueue wq, Item[] items, CyclicBarrier barrier, AtomicLong startAt,
            List<Event> out, List<String> violations) {
        int[] own = new int[items.length];
        try {
            barrier.await(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            violations.add("t" + t + ": barrier failed: " + e);
            return;
        }
        for (long start = startAt.get(); System.nanoTime() < start; ) {
            Thread.onSpinWait();
        }
        for (Op op : ops) {
            Work w = items[op.item()].work;
            if (op.gap() == GAP_NANOS.length) {
                Thread.yield();
            } else if (GAP_NANOS[op.gap()] > 0) {
                long end = System.nanoTime() + GAP_NANOS[op.gap()];
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            Event e = new Event(t, op);
            e.heldByCaller = own[op.item()] > 0;
            e.call = System.nanoTime();
            try {
                e.result = switch (op.kind()) {
                    case QUEUE -> wq.queue(w);
                    case QUEUE_ON -> wq.queueOn(Cpus.cpuAt(op.arg() % Cpus.count()), w);
                    case QUEUE_DELAYED -> wq.queueDelayed((DelayedWork) w, Duration.ofNanos(DELAYS_NANOS[op.arg()]));
                    case MOD_DELAYED -> wq.modDelayed((DelayedWork) w, Duration.ofNanos(DELAYS_NANOS[op.arg()]));
                    case CANCEL -> w.cancel();
                    case CANCEL_SYNC -> w.cancelSync();
                    case FLUSH -> w.flush();
                    case DISABLE -> w.disable();
                    case ENABLE -> w.enable();
                };
            } catch (Throwable x) {
                e.error = x;
            }
            e.ret = System.nanoTime();
            out.add(e);
            if (e.error != null) {
                violations.add("t" + t + ": " + op + " threw " + e.error);
                continue;
            }
            if (e.result && op.kind() != OpKind.FLUSH) {
                TRUE_RESULTS.incrementAndGet();
            }
            if (op.kind() == OpKind.DISABLE) {
                own[op.item()]++;
            } else if (op.kind() == OpKind.ENABLE) {
                own[op.item()]--;
            }
            if (e.heldByCaller) {
                switch (op.kind()) {
                    case QUEUE, QUEUE_ON, QUEUE_DELAYED, MOD_DELAYED, CANCEL, CANCEL_SYNC, DISABLE -> {
                        if (e.result) {
                            violations.add("t" + t + ": " + op + " returned true while this thread holds a disable of the item");
                        }
                    }
                    case ENABLE -> {
                        if (e.result && own[op.item()] > 0) {
                            violations.add("t" + t + ": " + op + " returned true although this thread still holds "
                                    + own[op.item()] + " disable(s)");
                        }
                    }
                    default -> { }
                }
            }
        }
        OPS.addAndGet(ops.size());
    }

    /**
     * Lets every pending instance run: fires pending delays now (DelayedWork.flush), drains, and
     * repeats while a timer was caught firing. A runtime that leaves an item PENDING for good
     * fails here (guarantee (d)).
     */
    private static void settle(Workqueue wq, Item[] items) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        for (;;) {
            for (Item it : items) {
                it.work.flush();
            }
            drainWithin(wq);
            boolean busy = false;
            for (Item it : items) {
                busy |= it.work.isPending() || it.work.isRunning();
            }
            if (!busy) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder("(d) items still busy " + AWAIT_SECONDS + " s after the try:");
                for (Item it : items) {
                    sb.append(' ').append(it).append(" pending=").append(it.work.isPending())
                            .append(" running=").append(it.work.isRunning())
                            .append(" state=0x").append(Long.toHexString(it.work.state));
                }
                fail(sb.toString());
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@code wq.drain()}, failing with the workqueue's counts if it has not returned within
     * {@link #AWAIT_SECONDS}: an item or a count the runtime lost would otherwise hang the run.
     */
    private static void drainWithin(Workqueue wq) throws InterruptedException {
        Thread drainer = new Thread(wq::drain, "model-drain");
        drainer.setDaemon(true);
        drainer.start();
        drainer.join(TimeUnit.SECONDS.toMillis(AWAIT_SECONDS));
        if (drainer.isAlive()) {
            fail("drain() did not return within " + AWAIT_SECONDS + " s, at:\n" + stack(drainer) + wq.flusher.describeState());
        }
    }

    private static void verify(Scenario s, Item[] items, List<List<Event>> events, List<String> violations) {
        List<String> problems = new ArrayList<>(violations);
        for (Item it : items) {
            RUNS.addAndGet(it.runs.size());
            if (it.overlaps.get() != 0) {
                problems.add("(a) " + it + " ran concurrently with itself " + it.overlaps.get() + " time(s)");
            }
            if (it.wrongCurrent.get() != 0) {
                problems.add(it + ": Work.current() was not the item inside its function " + it.wrongCurrent.get() + " time(s)");
            }
            if (it.notRunning.get() != 0) {
                problems.add(it + ": isRunning() was false inside its function " + it.notRunning.get() + " time(s)");
            }
            if (it.work.isPending() || it.work.isRunning()) {
                problems.add("(d) " + it + " pending=" + it.work.isPending() + " running=" + it.work.isRunning() + " after settling");
            }
        }
        List<Event> all = new ArrayList<>();
        events.forEach(all::addAll);
        for (Event e : all) {
            for (Event g : all) {
                if (g.thread != e.thread && g.op.item() == e.op.item() && g.call < e.ret && e.call < g.ret) {
                    OVERLAPPING_OPS.incrementAndGet();
                    break;
                }
            }
        }
        if (problems.isEmpty()) {
            checkFlushWaits(items, all, problems);
        }
        if (problems.isEmpty()) {
            checkAccounting(items, events, problems);
        }
        if (problems.isEmpty()) {
            String lin = new Linearizer(items, events).check();
            if (lin != null) {
                problems.add("(c) history " + lin);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\n" + history(s, items, all));
        }
    }

    /** Guarantees 5 and 9: flush and cancelSync wait for the instance running when they are called. */
    private static void checkFlushWaits(Item[] items, List<Event> all, List<String> problems) {
        for (Event e : all) {
            if (e.op.kind() != OpKind.FLUSH && e.op.kind() != OpKind.CANCEL_SYNC) {
                continue;
            }
            List<long[]> runs;
            Item it = items[e.op.item()];
            synchronized (it.runs) {
                runs = new ArrayList<>(it.runs);
            }
            for (long[] r : runs) {
                if (r[0] < e.call && r[1] > e.ret) {
                    problems.add(String.format("%s by t%d returned %.1f us before the run of %s that had entered"
                                    + " %.1f us before the call finished (entered %d, exit %d, call %d, return %d)",
                            e.op.kind(), e.thread, (r[1] - e.ret) / 1e3, it, (e.call - r[0]) / 1e3, r[0], r[1], e.call, e.ret));
                }
            }
        }
    }

    /**
     * (b): runs == successful queues - successful cancellations. A modDelayed that returned true
     * re-armed the pending instance (+0). One that returned false queued a new instance (+1)
     * unless the item was disabled at that moment (+0): that is certain when the caller itself
     * held a disable, and ambiguous (+0 or +1) only while another thread's disable or cancelSync
     * overlapped the call.
     */
    private static void checkAccounting(Item[] items, List<List<Event>> events, List<String> problems) {
        for (Item it : items) {
            List<long[]> otherDisabled = new ArrayList<>(); // {thread, from, to}
            for (List<Event> te : events) {
                int depth = 0;
                long from = 0;
                for (Event e : te) {
                    if (e.op.item() != it.index) {
                        continue;
                    }
                    if (e.op.kind() == OpKind.CANCEL_SYNC) {
                        otherDisabled.add(new long[] {e.thread, e.call, e.ret});
                    } else if (e.op.kind() == OpKind.DISABLE) {
                        if (depth++ == 0) {
                            from = e.call;
                        }
                    } else if (e.op.kind() == OpKind.ENABLE) {
                        if (--depth == 0) {
                            otherDisabled.add(new long[] {e.thread, from, e.ret});
                        }
                    }
                }
            }
            int min = 0, max = 0;
            for (List<Event> te : events) {
                for (Event e : te) {
                    if (e.op.item() != it.index) {
                        continue;
                    }
                    switch (e.op.kind()) {
                        case QUEUE, QUEUE_ON, QUEUE_DELAYED -> {
                            if (e.result) {
                                min++;
                                max++;
                            }
                        }
                        case CANCEL, CANCEL_SYNC, DISABLE -> {
                            if (e.result) {
                                min--;
                                max--;
                            }
                        }
                        case MOD_DELAYED -> {
                            if (!e.result && !e.heldByCaller) {
                                boolean ambiguous = false;
                                for (long[] d : otherDisabled) {
                                    ambiguous |= d[0] != e.thread && d[1] < e.ret && e.call < d[2];
                                }
                                max++;
                                if (ambiguous) {
                                    AMBIGUOUS_MODS.incrementAndGet();
                                } else {
                                    min++;
                                }
                            }
                        }
                        default -> { }
                    }
                }
            }
            int runs = it.runs.size();
            if (runs < min || runs > max) {
                problems.add("(b) " + it + " ran " + runs + " time(s), expected "
                        + (min == max ? String.valueOf(min) : "between " + min + " and " + max)
                        + " from the successful queue/cancel results");
            }
        }
    }

    private static String history(Scenario s, Item[] items, List<Event> all) {
        long t0 = all.stream().mapToLong(e -> e.call).min().orElse(0);
        StringBuilder sb = new StringBuilder("scenario: ").append(s.kind()).append(", items ").append(Arrays.toString(items))
                .append(", run ").append(s.spinNanos() / 1000).append(" us\n");
        List<String> lines = new ArrayList<>();
        List<long[]> keys = new ArrayList<>();
        for (Event e : all) {
            lines.add(e.describe(t0));
            keys.add(new long[] {e.call, lines.size() - 1});
        }
        for (Item it : items) {
            synchronized (it.runs) {
                for (long[] r : it.runs) {
                    lines.add(String.format("   [%9.1f, %9.1f]us run of %s", (r[0] - t0) / 1e3, (r[1] - t0) / 1e3, it));
                    keys.add(new long[] {r[0], lines.size() - 1});
                }
            }
        }
        keys.sort(Comparator.comparingLong(k -> k[0]));
        int shown = 0;
        for (long[] k : keys) {
            if (shown++ == 300) {
                sb.append("  ...\n");
                break;
            }
            sb.append("  ").append(lines.get((int) k[1])).append('\n');
        }
        return sb.toString();
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement el : t.getStackTrace()) {
            sb.append("    at ").append(el).append('\n');
        }
        return sb.toString();
    }

    /* --------------- Linearizability against the sequential state machine --------------- */

    /**
     * Searches for a linearization (Wing and Gong, with memoization) of the recorded history
     * against the sequential work item: per item a pending bit and a disable depth.
     *
     * <ul>
     *   <li>queue/queueOn/queueDelayed true: requires idle and enabled, sets pending. False:
     *       requires pending or disabled, unless the call overlapped a cancel, cancelSync,
     *       disable, enable or modDelayed of the item by another thread, which own PENDING for
     *       a moment (try_to_grab_pending; queue_work returns false against it in Linux too);
     *   <li>modDelayed true: requires pending (re-armed, stays pending); false: requires not
     *       pending, and becomes pending if enabled;
     *   <li>cancel true: requires pending, clears it; false: requires not pending;
     *   <li>disable: like cancel for the result, then depth + 1; enable: requires depth &gt; 0,
     *       depth - 1, returns true iff the depth is now 0; cancelSync = a disable and a later
     *       enable (whose result is not visible) inside its interval;
     *   <li>each run is a "start" that clears pending at some point before its entry timestamp;
     *   <li>at the end, nothing is pending and nothing is disabled.
     * </ul>
     * Real-time order: an operation that returned before another was called comes first. flush
     * changes nothing and is left out.
     */
    static final class Linearizer {
        /** States the search may visit; the 12,000 tries of a run need about 25 on average, at most 135 and 221 in two runs. */
        static final int BUDGET = 3_000_000;
        static final int LANE_BITS = 9;

        enum K { QUEUE, MOD, CANCEL, DISABLE, ENABLE, CS_ENABLE, START }

        record LOp(K k, int item, boolean result, boolean excused, long call, long ret, String what) {}

        /** The search visited {@link #BUDGET} states without deciding. */
        private static final class BudgetExhausted extends RuntimeException {
            BudgetExhausted() {
                super(null, null, false, false);
            }
        }

        final LOp[][] lanes;
        final int nItems;
        final int[] depth;
        final boolean[] pending;
        final Set<Long> failed = new HashSet<>();
        int states;
        int deepest;
        int[] deepestPos;

        Linearizer(Item[] items, List<List<Event>> events) {
            nItems = items.length;
            depth = new int[nItems];
            pending = new boolean[nItems];
            List<Event> all = new ArrayList<>();
            events.forEach(all::addAll);
            List<LOp[]> ls = new ArrayList<>();
            for (List<Event> te : events) {
                List<LOp> lane = new ArrayList<>();
                for (Event e : te) {
                    String w = "t" + e.thread + " " + e.op + "->" + e.result;
                    switch (e.op.kind()) {
                        case QUEUE, QUEUE_ON, QUEUE_DELAYED -> {
                            boolean excused = !e.result && overlapsGrabber(e, all);
                            if (excused) {
                                EXCUSED_QUEUE_FALSE.incrementAndGet();
                            }
                            lane.add(new LOp(K.QUEUE, e.op.item(), e.result, excused, e.call, e.ret, w));
                        }
                        case MOD_DELAYED -> lane.add(new LOp(K.MOD, e.op.item(), e.result, false, e.call, e.ret, w));
                        case CANCEL -> lane.add(new LOp(K.CANCEL, e.op.item(), e.result, false, e.call, e.ret, w));
                        case DISABLE -> lane.add(new LOp(K.DISABLE, e.op.item(), e.result, false, e.call, e.ret, w));
                        case ENABLE -> lane.add(new LOp(K.ENABLE, e.op.item(), e.result, false, e.call, e.ret, w));
                        case CANCEL_SYNC -> {
                            lane.add(new LOp(K.DISABLE, e.op.item(), e.result, false, e.call, e.ret, w + " (its disable)"));
                            lane.add(new LOp(K.CS_ENABLE, e.op.item(), false, false, e.call, e.ret, w + " (its enable)"));
                        }
                        case FLUSH -> { }
                    }
                }
                ls.add(lane.toArray(LOp[]::new));
            }
            for (Item it : items) {
                List<long[]> runs;
                synchronized (it.runs) {
                    runs = new ArrayList<>(it.runs);
                }
                runs.sort(Comparator.comparingLong(r -> r[0]));
                LOp[] lane = new LOp[runs.size()];
                for (int i = 0; i < lane.length; i++) {
                    lane[i] = new LOp(K.START, it.index, false, false, Long.MIN_VALUE, runs.get(i)[0], "start of run " + i + " of " + it);
                }
                ls.add(lane);
            }
            lanes = ls.toArray(LOp[][]::new);
            if (lanes.length * LANE_BITS + nItems > 64) {
                throw new IllegalStateException("too many lanes");
            }
            for (LOp[] l : lanes) {
                if (l.length >= 1 << LANE_BITS) {
                    throw new IllegalStateException("lane too long: " + l.length);
                }
            }
        }

        private static boolean overlapsGrabber(Event q, List<Event> all) {
            for (Event g : all) {
                if (g.thread == q.thread || g.op.item() != q.op.item()) {
                    continue;
                }
                switch (g.op.kind()) {
                    case CANCEL, CANCEL_SYNC, DISABLE, ENABLE, MOD_DELAYED -> {
                        if (g.call < q.ret && q.call < g.ret) {
                            return true;
                        }
                    }
                    default -> { }
                }
            }
            return false;
        }

        /**
         * Null if linearizable, else why not: the deepest dead end, or that the search ran out of
         * its budget. An undecided history fails the try like a wrong one: passing it would let
         * the largest (most interleaved) histories through unchecked.
         */
        String check() {
            int[] pos = new int[lanes.length];
            deepestPos = pos.clone();
            boolean ok;
            try {
                ok = dfs(pos, 0);
            } catch (BudgetExhausted e) {
                return "undecided: no linearization found and none ruled out within " + BUDGET
                        + " states (the scenarios are larger than the search can decide; shorten them or raise the budget)";
            } finally {
                LIN_STATES.addAndGet(states);
                LIN_MOST_STATES.accumulateAndGet(states, Math::max);
            }
            LIN_DECIDED.incrementAndGet();
            if (ok) {
                return null;
            }
            StringBuilder sb = new StringBuilder("not linearizable against the work item state machine: no order explains"
                    + " the results; the longest consistent prefix ("
                    + deepest + " ops) ends with these operations next, none of which can go:");
            for (int l = 0; l < lanes.length; l++) {
                if (deepestPos[l] < lanes[l].length) {
                    sb.append("\n    ").append(lanes[l][deepestPos[l]].what());
                } else {
                    sb.append("\n    (lane ").append(l).append(" done)");
                }
            }
            return sb.toString();
        }

        private boolean dfs(int[] pos, int done) {
            if (done > deepest) {
                deepest = done;
                deepestPos = pos.clone();
            }
            boolean allDone = true;
            long min1 = Long.MAX_VALUE, min2 = Long.MAX_VALUE;
            int minLane = -1;
            for (int l = 0; l < lanes.length; l++) {
                if (pos[l] < lanes[l].length) {
                    allDone = false;
                    long r = lanes[l][pos[l]].ret();
                    if (r < min1) {
                        min2 = min1;
                        min1 = r;
                        minLane = l;
                    } else if (r < min2) {
                        min2 = r;
                    }
                }
            }
            if (allDone) {
                for (int i = 0; i < nItems; i++) {
                    if (pending[i] || depth[i] != 0) {
                        return false;
                    }
                }
                return true;
            }
            long key = 0;
            for (int l = 0; l < lanes.length; l++) {
                key = (key << LANE_BITS) | pos[l];
            }
            for (int i = 0; i < nItems; i++) {
                key = (key << 1) | (pending[i] ? 1 : 0);
            }
            if (!failed.add(key)) {
                return false;
            }
            if (++states > BUDGET) {
                throw new BudgetExhausted();
            }
            for (int l = 0; l < lanes.length; l++) {
                if (pos[l] >= lanes[l].length) {
                    continue;
                }
                LOp x = lanes[l][pos[l]];
                // Real time: x may go next only if no other pending head returned before x was called.
                if (x.call() > (l == minLane ? min2 : min1)) {
                    continue;
                }
                int i = x.item();
                int d = depth[i];
                boolean p = pending[i];
                if (apply(x)) {
                    pos[l]++;
                    if (dfs(pos, done + 1)) {
                        return true;
                    }
                    pos[l]--;
                }
                depth[i] = d;
                pending[i] = p;
            }
            return false;
        }

        /** Applies x to the model if its result is possible in the current state. */
        private boolean apply(LOp x) {
            int i = x.item();
            boolean p = pending[i];
            int d = depth[i];
            switch (x.k()) {
                case QUEUE -> {
                    if (x.result()) {
                        if (p || d > 0) {
                            return false;
                        }
                        pending[i] = true;
                    } else if (!x.excused() && !p && d == 0) {
                        return false;
                    }
                }
                case MOD -> {
                    if (x.result()) {
                        if (!p) {
                            return false;
                        }
                    } else {
                        if (p) {
                            return false;
                        }
                        pending[i] = d == 0;
                    }
                }
                case CANCEL -> {
                    if (x.result() != p) {
                        return false;
                    }
                    pending[i] = false;
                }
                case DISABLE -> {
                    if (x.result() != p || d == Work.MAX_DISABLE_DEPTH) {
                        return false;
                    }
                    pending[i] = false;
                    depth[i] = d + 1;
                }
                case ENABLE -> {
                    if (d == 0 || p || x.result() != (d == 1)) {
                        return false;
                    }
                    depth[i] = d - 1;
                }
                case CS_ENABLE -> {
                    if (d == 0 || p) {
                        return false;
                    }
                    depth[i] = d - 1;
                }
                case START -> {
                    if (!p) {
                        return false;
                    }
                    pending[i] = false;
                }
            }
            return true;
        }
    }

    /* --------------- Targeted interleavings --------------- */

    /**
     * Guarantee 5 under a specific interleaving that the property above reaches only by chance:
     * flush() is called while instance 1 runs; then instance 2 is queued (routed behind the
     * running one) and cancelled (or disabled). flush() must still wait for instance 1.
     */
    @ParameterizedTest
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "UNBOUND", "ORDERED"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void flushWaitsForRunningInstanceWhenALaterInstanceIsCancelled(WorkqueueKind kind) throws Exception {
        for (boolean useDisable : new boolean[] {false, true}) {
            Workqueue wq = kind.create("flush-vs-cancel");
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean timedOut = new AtomicBoolean();
            AtomicInteger runs = new AtomicInteger();
            Work w = new Work(() -> {
                if (runs.incrementAndGet() == 1) {
                    entered.countDown();
                    try {
                        if (!release.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                            timedOut.set(true);
                        }
                    } catch (InterruptedException e) {
                        timedOut.set(true);
                    }
                }
            });
            CountDownLatch flushReturned = new CountDownLatch(1);
            AtomicBoolean flushResult = new AtomicBoolean();
            Thread flusher = new Thread(() -> {
                flushResult.set(w.flush());
                flushReturned.countDown();
            }, "flusher");
            flusher.setDaemon(true);
            try {
                assertTrue(wq.queue(w));
                assertTrue(entered.await(AWAIT_SECONDS, TimeUnit.SECONDS), "instance 1 did not start");
                flusher.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
                while (flusher.getState() != Thread.State.WAITING) {
                    assertTrue(System.nanoTime() < deadline, "flush() did not start waiting for the running instance");
                    assertEquals(1, flushReturned.getCount(), "flush() returned while instance 1 is running");
                    Thread.onSpinWait();
                }
                assertTrue(wq.queue(w), "queue of the running item returned false");
                if (useDisable) {
                    assertTrue(w.disable(), "disable of the pending instance 2 returned false");
                } else {
                    assertTrue(w.cancel(), "cancel of the pending instance 2 returned false");
                }
                assertTrue(w.isRunning(), "instance 1 should still be running");
                assertFalse(flushReturned.await(200, TimeUnit.MILLISECONDS), kind + ": flush() returned while the"
                        + " instance running at its call was still running, after a later instance was "
                        + (useDisable ? "disabled" : "cancelled"));
            } finally {
                release.countDown();
                if (useDisable && w.isDisabled()) {
                    w.enable();
                }
            }
            assertTrue(flushReturned.await(AWAIT_SECONDS, TimeUnit.SECONDS), "flush() did not return after instance 1 finished");
            assertTrue(flushResult.get(), "flush() of a running item returned false");
            assertFalse(timedOut.get());
            assertEquals(1, runs.get(), "the cancelled instance ran");
            wq.shutdown();
            assertTrue(wq.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /**
     * Guarantee 12 (and 5) at the instant a delayed item's timer fires: the timer has been taken
     * off the wheel but the item is not on a worklist yet. The item is pending all along, so a
     * flush() called then must wait for that instance, as flush_delayed_work does in Linux
     * (del_timer_sync waits for the timer callback that queues the work).
     */
    @ParameterizedTest
    @EnumSource(value = WorkqueueKind.class, names = {"PERCPU", "UNBOUND"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void delayedFlushWaitsForTheInstanceWhoseTimerIsFiring(WorkqueueKind kind) throws Exception {
        Workqueue wq = kind.create("flush-vs-timer");
        AtomicInteger runs = new AtomicInteger();
        DelayedWork d = new DelayedWork(runs::incrementAndGet);
        TimerWheel wheel = TimerWheel.shared();
        int early = 0, iterations = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (System.nanoTime() < end && iterations < 2000) {
                iterations++;
                int before = runs.get();
                int armedBefore = wheel.armedCount();
                assertTrue(wq.queueDelayed(d, Duration.ofNanos(300_000)));
                // Wait until the wheel takes the timer off to fire it (observing the wheel's count).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
                while (wheel.armedCount() > armedBefore) {
                    assertTrue(System.nanoTime() < deadline, "the timer of the delayed item never fired");
                }
                d.flush(); // may return false if the instance already ran: then runs > before
                if (runs.get() == before) {
                    early++;
                }
                // Let it finish before the next round, whatever flush did.
                long dl = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
                while (d.isPending() || d.isRunning()) {
                    assertTrue(System.nanoTime() < dl, "delayed item never ran");
                    d.flush();
                }
            }
        } finally {
            wq.shutdown();
        }
        assertTrue(wq.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, early, kind + ": in " + early + " of " + iterations + " rounds DelayedWork.flush() returned before the"
                + " pending instance ran (its timer was firing: off the wheel, not yet on a worklist)");
    }
}
