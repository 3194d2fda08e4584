package dev.jwq;

import dev.jwq.cpu.CpuLists;
import dev.jwq.jmx.WorkerPoolMXBean;
import java.util.BitSet;
import java.util.function.ToLongFunction;

/** The MXBean of one worker pool ({@link JmxExport}); every number read under the pool lock. */
final class PoolBean implements WorkerPoolMXBean {
    private final WorkerPool p; // I

    PoolBean(WorkerPool p) {
        this.p = p;
    }

    private long read(ToLongFunction<WorkerPool> f) {
        p.lock();
        try {
            return f.applyAsLong(p);
        } finally {
            p.unlock();
        }
    }

    @Override
    public int getId() {
        return p.id;
    }

    @Override
    public int getCpu() {
        return p.cpu;
    }

    @Override
    public String getCpus() {
        if (p.cpus != null) {
            return CpuLists.format(p.cpus);
        }
        BitSet one = new BitSet();
        one.set(p.cpu);
        return CpuLists.format(one);
    }

    @Override
    public boolean isHighPriority() {
        return p.highPri;
    }

    @Override
    public int getWorkers() {
        return (int) read(x -> x.workers.size());
    }

    @Override
    public int getIdle() {
        return (int) read(WorkerPool::nrIdle);
    }

    @Override
    public int getRunning() {
        return (int) read(x -> x.nrRunning);
    }

    @Override
    public int getPending() {
        return (int) read(x -> x.worklist.size());
    }

    @Override
    public long getCompleted() {
        return read(x -> x.completed);
    }

    @Override
    public long getWorkersCreated() {
        return read(x -> x.created);
    }

    @Override
    public long getWorkersRetired() {
        return read(x -> x.retired);
    }

    @Override
    public long getCreationFailures() {
        return read(x -> x.creationFailures);
    }

    @Override
    public long getWakeups() {
        return read(x -> x.wakeups);
    }

    @Override
    public long getSleepsByHook() {
        return read(x -> x.sleeps.get(BlockingSource.HOOK.ordinal()));
    }

    @Override
    public long getSleepsExplicit() {
        return read(x -> x.sleeps.get(BlockingSource.EXPLICIT.ordinal()));
    }

    @Override
    public long getSleepsBySampler() {
        return read(x -> x.sleeps.get(BlockingSource.SAMPLER.ordinal()));
    }

    @Override
    public long getRescued() {
        return read(x -> x.rescued);
    }

    @Override
    public long getStalls() {
        return read(x -> x.stalls);
    }
}
