package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An unbound pool that its last workqueue let go lingers ({@link Pools#LINGER_NANOS}): a
 * workqueue of equal attributes built meanwhile takes it again, workers and all; then it is
 * destroyed, and its carriers' threads end at once ({@link CarrierGroup#retire}) rather than
 * after the keep-alive (300 s). High-priority unbound workqueues, whose pool no system
 * workqueue keeps alive.
 */
@Timeout(value = 60, unit = SECONDS)
class UnusedUnboundPoolTest extends WorkqueueFixture {

    /** Built, used and closed in a loop: one pool for all (each made a pool of its own before). */
    @Test
    void aLoopOfWorkqueuesSharesOnePool() throws Exception {
        Set<Integer> pools = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            Workqueue wq = Workqueue.builder("linger-loop-" + i).flags(WqFlag.HIGHPRI).build();
            wq.submit(() -> pools.add(Worker.current().pool.id)).get();
            wq.close();
        }
        assertEquals(1, pools.size(), "pools: " + pools);
    }

    /** Once the linger has passed, the pool is gone and so are its carrier threads (virtual workers). */
    @Test
    void aDestroyedPoolsCarrierThreadsEnd() throws Exception {
        assumeTrue(WorkerModel.VIRTUAL, "carriers run only virtual workers");
        Set<Integer> pools = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            Workqueue wq = Workqueue.builder("linger-carriers-" + i).flags(WqFlag.HIGHPRI).build();
            wq.submit(() -> pools.add(Worker.current().pool.id)).get();
            wq.close();
        }
        awaitTrue(() -> carrierThreadsOf(pools).isEmpty(),
                "the carrier threads of the pools " + pools + " end: " + carrierThreadsOf(pools));
    }

    /** Live carrier threads of the given pools ({@code jwq/cu<pool>.<cpu>}, a compensating one with {@code +n}). */
    private static Set<String> carrierThreadsOf(Set<Integer> pools) {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && n.startsWith("jwq/cu")) {
                int dot = n.indexOf('.');
                if (dot > 6 && pools.contains(Integer.parseInt(n.substring(6, dot)))) {
                    names.add(n);
                }
            }
        }
        return names;
    }
}
