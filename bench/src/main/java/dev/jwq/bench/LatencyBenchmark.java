package dev.jwq.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Submit-to-start latency (issue 11): one thread (the benchmark thread) submits tiny tasks at a
 * fixed {@link #rate}, spinning until each one's slot; each task records, as it starts, the time
 * since its slot into a histogram. Measured from the slot, not from the moment {@code execute}
 * was called, so a submitter held up by a slow {@code execute} or by its own preemption counts
 * that delay in the following tasks instead of hiding it (no coordinated omission).
 *
 * <p>JMH's score is the submissions per second actually made (it should equal the rate; less
 * means the submitter could not keep up). The percentiles come from the histogram of every
 * measured iteration of the trial, printed at the end of the trial and, when the system
 * property {@value #OUT_PROPERTY} names a file, appended to it as one JSON line.
 *
 * <p>A paced load warms the JIT slowly: at 10k/s a few warm-up seconds are a few tens of
 * thousands of items, and the compiles (and the deoptimisations a first idle gap or blocked
 * item brings) then fall into the measured iterations, where a compiler thread on one of two
 * CPUs delays wake-ups by milliseconds. bench/run.sh and bench/alternate.sh therefore warm this
 * benchmark up for eight iterations (bench/README.md, "Results after session 27").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LatencyBenchmark extends Scenario {
    /** System property naming the file each trial's percentiles are appended to. */
    public static final String OUT_PROPERTY = "jwq.bench.latencyOut";
    /** How long the end of an iteration waits for its last tasks to start. */
    private static final long DRAIN_SECONDS = 30;

    /** Submissions per second. */
    @Param({"10000", "100000"})
    public int rate;

    private long interval;                              // ns between slots
    private long next;                                  // the next slot; benchmark thread only
    private long submitted;                             // tasks submitted; benchmark thread only
    private final LongAdder started = new LongAdder();  // tasks that have started
    private Recorder recorder;                          // written by the tasks, read between iterations
    private Histogram trial;                            // measured iterations; benchmark thread only

    @Setup(Level.Trial)
    public void setupTrial() {
        if (rate <= 0 || rate > 1_000_000_000) {
            throw new IllegalArgumentException("rate must be in 1..1e9 per second, was " + rate);
        }
        interval = TimeUnit.SECONDS.toNanos(1) / rate;
        recorder = new Recorder(3);
        trial = new Histogram(3);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        next = System.nanoTime();
    }

    /** One paced submission. */
    @Benchmark
    public void submit(ExecutorState s) {
        long slot = next;
        next = slot + interval;
        while (System.nanoTime() - slot < 0) {
            Thread.onSpinWait();
        }
        s.exec.execute(new Probe(slot, this));
        submitted++;
    }

    @TearDown(Level.Iteration)
    public void endIteration(ExecutorState s, IterationParams p) throws InterruptedException {
        endIteration(s.executor, p.getType() == IterationType.MEASUREMENT);
    }

    /** Waits for the iteration's tasks to start, then keeps their histogram if {@code measured}. */
    void endIteration(String executor, boolean measured) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (started.sum() < submitted) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(executor + ": " + (submitted - started.sum()) + " of " + submitted
                        + " submitted tasks had not started " + DRAIN_SECONDS + " s after the iteration");
            }
            LockSupport.parkNanos(100_000);
        }
        Histogram h = recorder.getIntervalHistogram();
        if (measured) {
            trial.add(h);
        }
    }

    @TearDown(Level.Trial)
    public void report(ExecutorState s) throws IOException {
        System.out.println();
        System.out.println("latency " + summary(s.executor, false));
        String out = System.getProperty(OUT_PROPERTY);
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), summary(s.executor, true) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * The trial's percentiles (microseconds) as one JSON object; with {@code histogram}, also the
     * whole histogram (HdrHistogram's compressed encoding, Base64) for a later look.
     */
    String summary(String executor, boolean histogram) {
        Histogram h = trial;
        String hdr = "";
        if (histogram) {
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int n = h.encodeIntoCompressedByteBuffer(buf);
            hdr = ",\"hdr\":\"" + Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n)) + "\"";
        }
        return String.format(Locale.ROOT,
                "{\"executor\":\"%s\",\"rate\":%d,\"samples\":%d,\"p50_us\":%.3f,\"p90_us\":%.3f,"
                        + "\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f,\"mean_us\":%.3f%s}",
                executor, rate, h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()),
                h.getMean() / 1e3, hdr);
    }

    long measuredSamples() {
        return trial.getTotalCount();
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }

    /** A task that records how long after its slot it started. */
    static final class Probe implements Runnable {
        private final long slot;
        private final LatencyBenchmark bench;

        Probe(long slot, LatencyBenchmark bench) {
            this.slot = slot;
            this.bench = bench;
        }

        @Override
        public void run() {
            long late = System.nanoTime() - slot;
            bench.recorder.recordValue(Math.max(0, late));
            bench.started.increment();
        }
    }
}
