package dev.jwq.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Socket round trips: blocking I/O as a service's HTTP or database client does it. One operation
 * hands tasks to the executor from outside; each takes one of the open loopback connections to an
 * {@link EchoServer} (platform threads) and makes {@value #ROUND_TRIPS} one-byte round trips on
 * it, blocking in the read each time. JMH reports ns per round trip (lower is better).
 *
 * <ul>
 *   <li>{@link #roundTrips}: {@value #TASKS} tasks, about as many as the executors have threads;
 *   <li>{@link #roundTripsMany}: {@value #MANY_TASKS} tasks, more than a fixed pool of ncpu runs at
 *       once: the blocked connections a pool sized to the CPUs leaves waiting, and a pool that
 *       starts another worker when one blocks (concurrency management) does not.
 * </ul>
 *
 * On a virtual worker each read that finds nothing parks on the JDK's socket pollers, which
 * unpark it; a platform thread blocks in the kernel. Executors with fewer threads than tasks
 * (single-thread ones, fixed pools) run some tasks after others: what their users get.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SocketBenchmark extends Scenario {
    /** Tasks per operation of {@link #roundTrips}. */
    public static final int TASKS = 4;

    /** Tasks per operation of {@link #roundTripsMany}, and open connections. */
    public static final int MANY_TASKS = 16;

    /** Round trips per task. */
    public static final int ROUND_TRIPS = 250;

    /** The echo server of a trial, with its connections. */
    @State(Scope.Benchmark)
    public static class Echo {
        EchoServer server;

        @Setup(Level.Trial)
        public void start() throws Exception {
            server = EchoServer.start(MANY_TASKS);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            server.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS * ROUND_TRIPS)
    public long roundTrips(ExecutorState s, Echo echo) throws Exception {
        return run(s.exec, echo.server, TASKS, ROUND_TRIPS, s.executor);
    }

    @Benchmark
    @OperationsPerInvocation(MANY_TASKS * ROUND_TRIPS)
    public long roundTripsMany(ExecutorState s, Echo echo) throws Exception {
        return run(s.exec, echo.server, MANY_TASKS, ROUND_TRIPS, s.executor);
    }

    /** {@code tasks} tasks of {@code roundTrips} round trips each; returns when all have run (0). */
    static long run(ExecutorService exec, EchoServer server, int tasks, int roundTrips, String label) throws Exception {
        Countdown c = new Countdown(tasks);
        for (int i = 0; i < tasks; i++) {
            exec.execute(() -> {
                try {
                    server.roundTrips(roundTrips);
                    c.run();
                } catch (Throwable t) {
                    c.fail(t);
                }
            });
        }
        return c.await(label);
    }
}
