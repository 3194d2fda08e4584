package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the carrier tests share: groups over chosen CPUs, a listener that records, waiting for a condition. */
final class CarrierFixture {
    static final long WAIT_S = Long.getLong("carrier.wait", 20);

    private CarrierFixture() {}

    /** A group over the first {@code n} usable CPUs (named {@code jwq/ctest.<cpu>}), pinned, with {@code keepAliveMillis}. */
    static <W> CarrierGroup<W> group(int n, long keepAliveMillis, CarrierListener<W> listener) {
        BitSet cpus = new BitSet();
        for (int i = 0; i < n; i++) {
            cpus.set(Cpus.cpuAt(i % Cpus.count()));
        }
        return new CarrierGroup<>("jwq/ctest.", null, cpus, false, true, TimeUnit.MILLISECONDS.toNanos(keepAliveMillis),
                listener);
    }

    /** Waits up to {@link #WAIT_S} for {@code condition}; fails with {@code what} otherwise. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    /** Waits up to {@link #WAIT_S} for {@code condition}; fails with {@code what}, computed then, otherwise. */
    static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(1);
        }
    }

    static void joinAll(List<? extends CarriedWorker<?>> workers) throws InterruptedException {
        for (CarriedWorker<?> w : workers) {
            assertTrue(w.thread().join(java.time.Duration.ofSeconds(WAIT_S)), "did not end: " + w + " " + w.group);
        }
    }

    /**
     * Records every call, per worker, with the thread it came on, and checks as it goes that a
     * worker's calls alternate sleeping / running and end with terminated.
     */
    static final class Recorder implements CarrierListener<String> {
        final Map<String, List<String>> calls = new ConcurrentHashMap<>();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Workers reported sleeping and not yet running again, by name (the state the engine would keep). */
        private final Map<String, Boolean> asleep = new ConcurrentHashMap<>();

        @Override
        public void sleeping(String w) {
            record(w, "sleeping");
            if (asleep.put(w, Boolean.TRUE) != null) {
                violations.add(w + ": sleeping twice without running between");
            }
        }

        @Override
        public void running(String w) {
            record(w, "running");
            if (asleep.remove(w) == null) {
                violations.add(w + ": running without sleeping before");
            }
        }

        @Override
        public void terminated(String w) {
            record(w, "terminated");
            if (asleep.containsKey(w)) {
                violations.add(w + ": terminated while reported sleeping");
            }
        }

        private void record(String w, String what) {
            calls.computeIfAbsent(w, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(what + " on " + Thread.currentThread().getName());
        }

        List<String> of(String w) {
            return calls.getOrDefault(w, List.of());
        }

        long count(String w, String what) {
            return of(w).stream().filter(s -> s.startsWith(what + " ")).count();
        }

        void assertConsistent() {
            assertEquals(List.of(), violations);
        }
    }
}
