package dev.jwq.bench;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of tiny tasks: one benchmark operation runs {@value #TASKS} tasks that each count
 * down a shared counter, and ends when the last one has run. {@code @OperationsPerInvocation}
 * makes JMH report the time <em>per task</em> (ns/task, lower is better).
 *
 * <p>Three ways of submitting, each a benchmark method:
 * <ul>
 *   <li>{@link #external1}: the JMH thread submits all tasks, then waits;
 *   <li>{@link #external2}: two dedicated platform threads submit half each, the JMH thread
 *       starts them and waits;
 *   <li>{@link #chained}: one chain per CPU, started from outside; every task submits the next
 *       one of its chain from inside the executor's worker (for {@code virtual}: from inside
 *       the previous virtual thread), so only {@code ncpu} tasks are ever queued or running.
 * </ul>
 *
 * <p>The executor is a {@code @Param}, so one run compares them side by side. All of them are
 * driven through {@link ExecutorService#execute}, jwq included: every task is a fresh
 * {@code Work} item there, just as it is a fresh queue node or FJ task elsewhere.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ThroughputBenchmark.TASKS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class ThroughputBenchmark {
    /** Tasks per benchmark operation. */
    public static final int TASKS = 1_000_000;

    /** How long one operation may take before the benchmark fails instead of hanging. */
    private static final long OP_TIMEOUT_SECONDS = 120;

    @Param({"jwq-percpu", "jwq-unbound", "tpe", "fjp", "virtual"})
    public String executor;

    private final int ncpu = Runtime.getRuntime().availableProcessors();
    private ExecutorService exec;
    private Submitters submitters;

    @Setup(Level.Trial)
    public void setup() {
        exec = switch (executor) {
            case "jwq-percpu" -> Workqueue.builder("bench-percpu").build();
            case "jwq-unbound" -> Workqueue.builder("bench-unbound").flags(WqFlag.UNBOUND).build();
            case "tpe" -> new ThreadPoolExecutor(ncpu, ncpu, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            case "fjp" -> new ForkJoinPool(ncpu);
            case "virtual" -> Executors.newVirtualThreadPerTaskExecutor();
            default -> throw new IllegalArgumentException("unknown executor " + executor);
        };
        if (exec instanceof ThreadPoolExecutor tpe) {
            tpe.prestartAllCoreThreads(); // as jwq's pools and FJP have workers before the first op
        }
        submitters = new Submitters(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        submitters.close();
        exec.shutdown();
        if (!exec.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(executor + " did not terminate within 60 s");
        }
    }

    /** (a) One external thread submits every task. */
    @Benchmark
    public long external1() throws Exception {
        Round round = new Round(TASKS);
        ExecutorService e = exec;
        for (int i = 0; i < TASKS; i++) {
            e.execute(round);
        }
        return round.await(executor);
    }

    /** (b) Two external threads submit half the tasks each. */
    @Benchmark
    public long external2() throws Exception {
        Round round = new Round(TASKS);
        submitters.run(exec, round, TASKS);
        return round.await(executor);
    }

    /** (c) {@code ncpu} chains: each task submits the next one of its chain from the worker. */
    @Benchmark
    public long chained() throws Exception {
        Round round = new Round(TASKS);
        int chains = ncpu;
        for (int c = 0; c < chains; c++) {
            int length = TASKS / chains + (c < TASKS % chains ? 1 : 0);
            exec.execute(new Link(exec, round, length));
        }
        return round.await(executor);
    }

    /** One operation's tasks: each run counts down; the last one opens the latch. */
    static final class Round implements Runnable {
        private final AtomicLong remaining;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;

        Round(long tasks) {
            remaining = new AtomicLong(tasks);
        }

        @Override
        public void run() {
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }

        /** A submitter failed: ends the round with that failure. */
        void fail(Throwable t) {
            failure = t;
            done.countDown();
        }

        long await(String executor) throws InterruptedException, TimeoutException {
            boolean ended = done.await(OP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (failure != null) {
                throw new IllegalStateException(executor + ": a submitter failed", failure);
            }
            if (!ended) {
                throw new TimeoutException(executor + ": " + remaining.get() + " of " + TASKS
                        + " tasks still not run after " + OP_TIMEOUT_SECONDS + " s");
            }
            return remaining.get();
        }
    }

    /**
     * A chain: runs one task of the round, then submits itself again until its length is used
     * up. Only one instance of a chain is queued or running at a time, and each submission
     * publishes {@code left}, so a plain field is enough.
     */
    static final class Link implements Runnable {
        private final ExecutorService exec;
        private final Round round;
        private int left;

        Link(ExecutorService exec, Round round, int length) {
            this.exec = exec;
            this.round = round;
            this.left = length;
        }

        @Override
        public void run() {
            boolean more = --left > 0;
            if (more) {
                exec.execute(this); // before counting down: the round must not end while we submit
            }
            round.run();
        }
    }

    /**
     * Dedicated platform threads that submit a share of a round each, started by the JMH thread
     * through a barrier, so that thread start-up is not part of the measurement.
     */
    static final class Submitters implements AutoCloseable {
        private final Thread[] threads;
        private final CyclicBarrier start;
        private volatile ExecutorService exec;
        private volatile Round round;
        private volatile int tasks;
        private volatile boolean closed;
        private volatile Throwable failure;

        Submitters(int n) {
            threads = new Thread[n];
            start = new CyclicBarrier(n + 1);
            for (int i = 0; i < n; i++) {
                int id = i;
                threads[i] = Thread.ofPlatform().daemon().name("bench-submitter-" + i).start(() -> loop(id));
            }
        }

        /** Starts a round: thread i submits its share of {@code total}; returns at once. */
        void run(ExecutorService exec, Round round, int total) throws Exception {
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("a submitter failed", f);
            }
            this.exec = exec;
            this.tasks = total;
            this.round = round;
            start.await(); // the barrier publishes the fields above
        }

        private void loop(int id) {
            Round r = null;
            try {
                for (;;) {
                    start.await();
                    if (closed) {
                        return;
                    }
                    ExecutorService e = exec;
                    r = round;
                    int n = tasks / threads.length + (id < tasks % threads.length ? 1 : 0);
                    for (int i = 0; i < n; i++) {
                        e.execute(r);
                    }
                }
            } catch (Throwable t) {
                failure = t;
                if (r != null) {
                    r.fail(t);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            try {
                start.await(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A broken barrier also ends the loops.
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }
}
