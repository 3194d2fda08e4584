package dev.jwq;

/**
 * Who told concurrency management that a worker blocks, best first (DESIGN §2). Each pool counts
 * the transitions by source ({@link WorkerPool#sleeps}).
 */
enum BlockingSource {
    /** The agent's advice on the JDK's blocking primitives, through {@code dev.jwq.spi.WorkerBlocking}. */
    HOOK,
    /** {@code Workqueues.blocking(...)} or a {@code ManagedBlocker} run through it. */
    EXPLICIT,
    /** {@link PoolMonitor} found the worker's thread blocked while its pool made no progress. */
    SAMPLER
}
