package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;

/**
 * What the runtime looked like when something that must happen did not ({@link WorkqueueFixture}'s
 * MUST_HAPPEN waits): the dump {@code jwq dump} prints, every pwq with items in flight, every
 * pool's carriers, and the platform threads' stacks. A stall seen once in a clean-clone CI run
 * (session 43) said only "did not happen within 10 s"; this is what the next one says besides.
 *
 * <p>Taken on a thread of its own and bounded: a stall that holds a pool lock must fail the test
 * with what could be read, not hang it. Pool locks are only tried.
 */
final class StallReport {
    /** How long the report may take before the test fails with what it has. */
    private static final long BOUND_S = 5;
    /** Frames shown of each platform thread. */
    private static final int FRAMES = 16;

    private StallReport() {}

    /** The report, or what of it could be taken within {@link #BOUND_S}. */
    static String now() {
        StringBuilder out = new StringBuilder();
        FutureTask<Void> task = new FutureTask<>(() -> {
            write(out);
            return null;
        });
        Thread t = new Thread(task, "stall-report");
        t.setDaemon(true);
        t.start();
        try {
            task.get(BOUND_S, SECONDS);
        } catch (TimeoutException e) {
            synchronized (out) {
                out.append("\n(the report did not finish within ").append(BOUND_S).append(" s)\n");
            }
        } catch (ExecutionException e) {
            synchronized (out) {
                out.append("\n(the report failed: ").append(e.getCause()).append(")\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (out) {
            return out.toString();
        }
    }

    private static void write(StringBuilder out) {
        append(out, "\n--- pwqs with items in flight ---\n");
        for (Workqueue wq : WorkqueueRegistry.live()) {
            for (PoolWorkqueue pwq : wq.pwqs()) {
                if (pwq.nrInFlightTotal() == 0) {
                    continue;
                }
                String state;
                if (pwq.pool.tryLock()) {
                    try {
                        state = pwq.describeState();
                    } finally {
                        pwq.pool.unlock();
                    }
                } else {
                    state = "pool " + pwq.pool.id + "'s lock busy; in flight " + pwq.nrInFlightTotal();
                }
                append(out, wq.name() + ": " + state + "\n");
            }
        }
        append(out, "--- carriers ---\n");
        for (WorkerPool p : Pools.all()) {
            CarrierGroup<Worker> g = p.carrierGroup();
            if (g != null) {
                append(out, "pool " + p.id + ": " + g.carriers() + "\n");
            }
        }
        append(out, "--- platform threads ---\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StringBuilder s = new StringBuilder(e.getKey().getName()).append(' ').append(e.getKey().getState()).append('\n');
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                s.append("    at ").append(frames[i]).append('\n');
            }
            append(out, s.toString());
        }
        append(out, "--- runtime dump ---\n");
        append(out, RuntimeDump.dump()); // last: it waits for pool locks
    }

    private static void append(StringBuilder out, String s) {
        synchronized (out) {
            out.append(s);
        }
    }
}
