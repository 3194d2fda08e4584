package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The per-worker state machine of {@link CarriedWorker} under Lincheck's model checker, which
 * tries the interleavings of a carrier running the worker with other threads unparking it. The
 * JDK's side is modelled as {@code java.lang.VirtualThread} behaves: the continuation becomes
 * PARKED inside the carrier's run (before the run returns), and an unpark submits the
 * continuation once, only if it finds it PARKED; a {@code Thread.yield} resubmits from the
 * carrier during the run. After every scenario: the listener's calls alternate
 * (sleeping, running, ...), a parked worker has been reported sleeping once and is queued
 * nowhere, and a runnable one is queued exactly once.
 *
 * <p>Runs in a JVM of its own: Lincheck instruments {@code java.util.concurrent} as it goes,
 * which the other tests of this module should not run under.
 */
class CarriedWorkerLincheckTest {

    @Test
    void theStateMachineIsConsistentUnderEveryInterleavingTried() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Child.class, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-XX:+EnableDynamicAgentLoading");
        assertEquals(0, r.exitCode(), r.output());
    }

    /** Runs the model check; exits 0 when it found nothing. */
    public static final class Child {
        public static void main(String[] args) {
            new ModelCheckingOptions()
                    .iterations(Integer.getInteger("lincheck.iterations", 2))
                    .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 50))
                    .threads(2)
                    .actorsPerThread(3)
                    .check(Scenario.class);
            System.exit(0);
        }
    }

    /** One worker, its carrier and its unparkers: the object Lincheck runs operations on. */
    public static final class Scenario {
        private final Host host = new Host();
        private final CarriedWorker<String> worker = new CarriedWorker<>("w", host);
        private final CarrierThread carrierThread;
        /** The JDK's view: the virtual thread is PARKED (unmounted, not runnable). */
        private final AtomicBoolean parked = new AtomicBoolean();
        /** The JDK's runContinuation: one fixed Runnable per virtual thread. */
        private final Runnable continuation = () -> {};

        public Scenario() {
            BitSet cpu = new BitSet();
            cpu.set(0);
            CarrierGroup<String> g = new CarrierGroup<>("jwq/lc.", null, cpu, false, false, TimeUnit.SECONDS.toNanos(1),
                    new CarrierListener<>() {
                        @Override
                        public void sleeping(String w) {}

                        @Override
                        public void running(String w) {}
                    });
            carrierThread = new CarrierThread(g.carriers().get(0), "jwq/lc"); // never started
            worker.bind(new Thread(() -> {}));                                  // never started: never TERMINATED
            worker.execute(continuation);                                      // Thread.start
        }

        /** The carrier takes the worker if it is queued; its continuation parks, and returns. */
        @Operation(nonParallelGroup = "carrier")
        public void carrierRunsUntilItParks() {
            if (host.take()) {
                worker.mount(carrierThread);
                parked.set(true); // VirtualThread.afterYield: PARKING -> PARKED, still on the carrier
                worker.afterRun(carrierThread);
            }
        }

        /** The carrier takes the worker if queued; it calls Thread.yield, which resubmits it at once. */
        @Operation(nonParallelGroup = "carrier")
        public void carrierRunsUntilItYields() {
            if (host.take()) {
                worker.mount(carrierThread);
                worker.execute(continuation); // VirtualThread.afterYield: YIELDING -> YIELDED, submitted
                worker.afterRun(carrierThread);
            }
        }

        /** LockSupport.unpark from another thread: submits a PARKED thread, once. */
        @Operation
        public void unpark() {
            if (parked.compareAndSet(true, false)) {
                worker.execute(continuation);
            }
        }

        @Validate
        public void consistent() {
            List<String> calls = new ArrayList<>(host.calls);
            for (int i = 0; i < calls.size(); i++) {
                check(calls.get(i).equals(i % 2 == 0 ? "sleeping" : "running"), "calls out of order: " + calls);
            }
            int s = worker.state();
            if (parked.get()) {
                check(s == CarriedWorker.PARKED, "parked but " + CarriedWorker.stateName(s));
                check(host.queued.get() == 0, "parked but queued");
                check(calls.size() % 2 == 1, "parked but not reported sleeping: " + calls);
            } else {
                check(s == CarriedWorker.QUEUED, "runnable but " + CarriedWorker.stateName(s));
                check(host.queued.get() == 1, "runnable but queued " + host.queued.get() + " times");
                check(calls.size() % 2 == 0, "runnable but reported sleeping: " + calls);
            }
            check(host.violations.isEmpty(), host.violations.toString());
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new IllegalStateException(what);
            }
        }
    }

    /** A group that records instead of running: a run queue of one worker, the listener's calls. */
    static final class Host implements CarriedWorkerHost {
        final AtomicInteger queued = new AtomicInteger();
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        boolean take() {
            return queued.compareAndSet(1, 0);
        }

        @Override
        public void submit(CarriedWorker<?> w) {
            if (w.state() != CarriedWorker.QUEUED) {
                violations.add("submitted in state " + CarriedWorker.stateName(w.state()));
            }
            if (queued.incrementAndGet() != 1) {
                violations.add("queued twice");
            }
        }

        @Override
        public void sleeping(CarriedWorker<?> w) {
            calls.add("sleeping");
        }

        @Override
        public void running(CarriedWorker<?> w) {
            calls.add("running");
        }

        @Override
        public void terminated(CarriedWorker<?> w) {
            violations.add("terminated");
        }
    }
}
