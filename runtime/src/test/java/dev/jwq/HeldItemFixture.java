package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the tests of held items share: a per-CPU workqueue, whose pool is saturated by one
 * running item (so that what the item queues is held), and looks from inside an item.
 */
abstract class HeldItemFixture extends WorkqueueFixture {
    final int cpu = Cpus.cpuAt(0);

    Workqueue perCpu(String name) {
        return track(Workqueue.builder(name).flags(WqFlag.PERCPU).build());
    }

    /** Inside an item: whether the calling worker holds an item back now. */
    static boolean holding() {
        Worker w = Worker.current();
        return w != null && w.holds();
    }

    /** Inside an item: spins until {@code flag} is set or the must-happen bound passes; false then. */
    static boolean spinUntil(AtomicBoolean flag) {
        long deadline = System.nanoTime() + SECONDS.toNanos(MUST_HAPPEN_S);
        while (!flag.get()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
