package dev.jwq.agent.boot;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * What {@code Executors.newWorkStealingPool()} gives under the agent keeps ForkJoinPool's
 * parallelism as a limit on tasks actively running, not on tasks blocked in a join
 * ({@link Rewrites#stealingMaxActive}).
 */
class WorkStealingCompatibilityTest {
    private static final long LONG = 30; // seconds: liveness bound on a loaded machine

    /**
     * A chain of tasks each joining the next, two deeper than the parallelism (the CPUs, the
     * default), all on the pool: every one but the last is blocked in a join at once, which
     * ForkJoinPool meets with spare threads. With max_active = parallelism, the task past it
     * waited behind the blocked ones for good.
     */
    @Test
    void joinsDeeperThanTheParallelismFinish() throws Exception {
        int depth = Runtime.getRuntime().availableProcessors() + 2;
        ExecutorService pool = Rewrites.newWorkStealingPool("WorkStealingCompatibilityTest.joins:1");
        try {
            assertEquals(depth, nested(pool, depth).get(LONG, SECONDS));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(LONG, SECONDS));
        }
    }

    /** One task per level, each joining the level below it from inside the pool. */
    private static CompletableFuture<Integer> nested(ExecutorService pool, int level) {
        return CompletableFuture.supplyAsync(() -> level == 0 ? 0 : 1 + nested(pool, level - 1).join(), pool);
    }

    @Test
    void theParallelismBoundsActiveTasksOnlyBelowTheCpus() {
        assertEquals(1, Rewrites.stealingMaxActive(1, 2));
        assertEquals(2048, Rewrites.stealingMaxActive(2, 2));
        assertEquals(2048, Rewrites.stealingMaxActive(64, 8));
        assertEquals(2048, Rewrites.stealingMaxActive(5000, 8000));
    }
}
