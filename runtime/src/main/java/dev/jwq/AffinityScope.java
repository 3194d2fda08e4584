package dev.jwq;

/**
 * How an unbound workqueue's pools are split across the CPUs (Linux's {@code wq_affn_scope}).
 * {@link #DEFAULT} means the runtime default, {@code jwq.defaultAffinityScope} ({@link #CACHE_SHARD}).
 */
public enum AffinityScope {
    /** The runtime's default scope, {@code jwq.defaultAffinityScope}. */
    DEFAULT,
    /** A pod per CPU. */
    CPU,
    /** A pod per core: its SMT siblings. */
    SMT,
    /** A pod per last-level cache. */
    CACHE,
    /** Each last-level cache cut into shards of about 8 cores (Linux 7.1's {@code WQ_AFFN_CACHE_SHARD}). */
    CACHE_SHARD,
    /** A pod per NUMA node. */
    NUMA,
    /** One pod with every usable CPU. */
    SYSTEM
}
