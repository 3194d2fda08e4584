package dev.jwq;

/**
 * How an unbound workqueue's pools are split across the CPUs (Linux's {@code wq_affn_scope}).
 * {@link #DEFAULT} means the runtime default, {@code jwq.defaultAffinityScope} ({@link #CACHE_SHARD}).
 */
public enum AffinityScope {
    DEFAULT, CPU, SMT, CACHE, CACHE_SHARD, NUMA, SYSTEM
}
