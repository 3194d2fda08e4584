package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loading cache: misses are loaded asynchronously on a fixed loader pool; a scheduler
 * expires every entry periodically, so loads keep happening.
 */
final class Cache extends Library {
    private final ExecutorService loaders = own(ExecutorFactory.fixed(8, ExecutorFactory.named("cache-loader")));
    private final ScheduledExecutorService expiry = own(ExecutorFactory.singleScheduled(ExecutorFactory.named("cache-expiry")));
    private final ConcurrentHashMap<Long, CompletableFuture<Long>> entries = new ConcurrentHashMap<>();
    private final AtomicLong lookups = new AtomicLong(), loads = new AtomicLong();

    Cache() {
        super("cache");
        every(expiry, 100, entries::clear);
    }

    CompletableFuture<Long> get(long key) {
        lookups.incrementAndGet();
        return entries.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            Cpu.spinMicros(100);   // compute the entry
            loads.incrementAndGet();
            return Values.cached(k);
        }, loaders));
    }

    @Override
    String summary() {
        return lookups.get() + " lookups, " + loads.get() + " loads, " + ticks.get() + " expiries";
    }
}
