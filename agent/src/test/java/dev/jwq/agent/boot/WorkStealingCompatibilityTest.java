package dev.jwq.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What {@code Executors.newWorkStealingPool()} gives under the agent keeps ForkJoinPool's
 * parallelism as a limit on tasks actively running, not on tasks blocked in a join
 * ({@link Rewrites#stealingMaxActive}). That joins nested deeper than the parallelism finish is
 * checked under the agent, whose workers see every blocking join ({@code ContractSweepIT},
 * {@code work-stealing-nested-joins}); in this JVM only the sampler would.
 */
class WorkStealingCompatibilityTest {
    @Test
    void theParallelismBoundsActiveTasksOnlyBelowTheCpus() {
        assertEquals(1, Rewrites.stealingMaxActive(1, 2));
        assertEquals(JwqThreadPoolExecutor.WQ_MAX_ACTIVE, Rewrites.stealingMaxActive(2, 2));
        assertEquals(JwqThreadPoolExecutor.WQ_MAX_ACTIVE, Rewrites.stealingMaxActive(64, 8));
        assertEquals(JwqThreadPoolExecutor.WQ_MAX_ACTIVE, Rewrites.stealingMaxActive(5000, 8000));
    }
}
