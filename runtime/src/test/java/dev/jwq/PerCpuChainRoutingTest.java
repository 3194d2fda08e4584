package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An item a worker queues on a per-CPU workqueue from inside an item goes to its own CPU's pool
 * (Workqueue.route: a worker running an item of the same workqueue queues on that item's pwq,
 * any other worker through its pool's CPU), on every CPU this process may use.
 */
class PerCpuChainRoutingTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void anItemQueuedFromInsideAnItemRunsOnTheSameCpusPool() throws Exception {
        Workqueue wq = Workqueue.builder("chain-routing").flags(WqFlag.PERCPU).build();
        try {
            for (int i = 0; i < Cpus.count(); i++) {
                int cpu = Cpus.cpuAt(i);
                assertEquals(cpu, cpuOfChained(wq, wq, cpu, false), "execute() from an item on CPU " + cpu);
                assertEquals(cpu, cpuOfChained(wq, wq, cpu, true), "queue(Work) from an item on CPU " + cpu);
            }
        } finally {
            shutDown(wq);
        }
    }

    @Test
    void anItemQueuedFromAnotherWorkqueuesItemRunsOnTheSameCpusPool() throws Exception {
        Workqueue from = Workqueue.builder("chain-routing-from").flags(WqFlag.PERCPU).build();
        Workqueue to = Workqueue.builder("chain-routing-to").flags(WqFlag.PERCPU).build();
        try {
            for (int i = 0; i < Cpus.count(); i++) {
                int cpu = Cpus.cpuAt(i);
                assertEquals(cpu, cpuOfChained(from, to, cpu, false), "execute() on another workqueue from CPU " + cpu);
            }
        } finally {
            shutDown(from);
            shutDown(to);
        }
    }

    /**
     * Queues an item on {@code cpu} of {@code first} that queues a second one on {@code second}
     * ({@code asWork}: by queue(Work), else by execute); returns the CPU of the pool that ran the second.
     */
    private static int cpuOfChained(Workqueue first, Workqueue second, int cpu, boolean asWork) throws InterruptedException {
        AtomicInteger ranOn = new AtomicInteger(-1);
        CountDownLatch done = new CountDownLatch(1);
        Runnable chained = () -> {
            ranOn.set(Worker.current().pool.cpu);
            done.countDown();
        };
        assertTrue(first.queueOn(cpu, new Work(() -> {
            if (asWork) {
                assertTrue(second.queue(new Work(chained)));
            } else {
                second.execute(chained);
            }
        })));
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "the chained item did not run");
        return ranOn.get();
    }

    private static void shutDown(Workqueue wq) throws InterruptedException {
        wq.shutdown();
        assertTrue(wq.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS), wq.name() + " did not terminate");
    }
}
