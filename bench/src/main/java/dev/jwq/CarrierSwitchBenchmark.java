package dev.jwq;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a continuation switch costs on a carrier (issue 12), next to the JDK's own scheduler
 * held to one carrier thread ({@code -Djdk.virtualThreadScheduler.parallelism=1}), so both run
 * on one CPU's worth of carriers. ns per switch, lower is better.
 *
 * <ul>
 *   <li>{@link #pingPong}: two virtual threads hand a turn back and forth with
 *       {@code park}/{@code unpark}; per hand-off the one unparked is submitted ({@code
 *       running()} on the carrier's listener for {@code carrier}) and the other unmounts and is
 *       reported sleeping: the two Linux hooks and one switch.
 *   <li>{@link #yield}: one virtual thread calls {@code Thread.yield()}: unmount, resubmission
 *       from the carrier before it looks (no listener call), mount.
 * </ul>
 * In package {@code dev.jwq} because the carriers are package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CarrierSwitchBenchmark.SWITCHES)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.virtualThreadScheduler.parallelism=1"})
public class CarrierSwitchBenchmark {
    /** Switches per benchmark operation. */
    public static final int SWITCHES = 10_000;

    /** {@code carrier}: a one-CPU carrier group; {@code jdk}: {@code Thread.ofVirtual()}. */
    @Param({"carrier", "jdk"})
    public String scheduler;

    private CarrierGroup<String> group;

    @Setup
    public void setUp() {
        if (scheduler.equals("carrier")) {
            if (!VirtualThreadAccess.available()) {
                throw new IllegalStateException(VirtualThreadAccess.unavailableReason());
            }
            BitSet cpu = new BitSet();
            cpu.set(Cpus.cpuAt(0));
            // The listener does nothing: this measures the machinery, not an engine.
            group = new CarrierGroup<>("jwq/cbench.", null, cpu, false, true, TimeUnit.SECONDS.toNanos(60),
                    new CarrierListener<>() {
                        @Override
                        public void sleeping(String worker) {}

                        @Override
                        public void running(String worker) {}
                    });
        }
    }

    @Benchmark
    public void pingPong() throws InterruptedException {
        AtomicInteger turn = new AtomicInteger();
        Thread[] t = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            t[i] = unstarted("pp" + i, () -> {
                for (int k = 0; k < SWITCHES / 2; k++) {
                    while (turn.get() != me) {
                        LockSupport.park();
                    }
                    turn.set(1 - me);
                    LockSupport.unpark(t[1 - me]);
                }
            });
        }
        t[0].start();
        t[1].start();
        join(t[0]);
        join(t[1]);
    }

    @Benchmark
    public void yield() throws InterruptedException {
        Thread t = unstarted("y", () -> {
            for (int k = 0; k < SWITCHES; k++) {
                Thread.yield();
            }
        });
        t.start();
        join(t);
    }

    private Thread unstarted(String name, Runnable body) {
        return group != null ? group.newWorker(name, name, body).thread() : Thread.ofVirtual().name(name).unstarted(body);
    }

    private static void join(Thread t) throws InterruptedException {
        if (!t.join(java.time.Duration.ofSeconds(30))) {
            throw new IllegalStateException(t + " did not finish in 30 s");
        }
    }
}
