package dev.jwq;

import dev.jwq.cpu.CpuLists;
import java.util.Comparator;
import java.util.List;

/**
 * The runtime's state as {@code wq_dump.py} prints the kernel's: affinity scopes, worker pools,
 * workqueue to pool mapping, rescuers, unbound max_active; then the busy pools
 * ({@link PoolDump}). Takes one lock at a time.
 */
final class RuntimeDump {
    private RuntimeDump() {}

    static String dump() {
        StringBuilder out = new StringBuilder();
        out.append("Affinity Scopes\n===============\n");
        out.append("usable CPUs ").append(Cpus.describe()).append('\n');
        out.append(Cpus.topology().describe());
        out.append("\nWorker Pools\n============\n");
        for (WorkerPool p : Pools.all()) {
            p.lock();
            try {
                out.append(String.format("pool[%03d] %s workers=%d idle=%d running=%d pending=%d completed=%d%n", p.id,
                        p.cpu >= 0 ? "cpu " + p.cpu + (p.highPri ? " highpri" : "")
                                : "cpus " + CpuLists.format(p.cpus) + (p.strict ? " strict" : "") + (p.highPri ? " highpri" : ""),
                        p.workers.size(), p.nrIdle(), p.nrRunning, p.worklist.size(), p.completed));
            } finally {
                p.unlock();
            }
        }
        List<Workqueue> wqs = WorkqueueRegistry.live();
        wqs.sort(Comparator.comparing(Workqueue::name));
        out.append("\nWorkqueue CPU -> pool\n=====================\n");
        for (Workqueue wq : wqs) {
            out.append(wq.name()).append(wq.unbound ? " (unbound" + (wq.scope() != null ? ", " + wq.scope() : "") + ")" : " (percpu)")
                    .append(':');
            for (PoolWorkqueue pwq : wq.pwqs()) {
                out.append(' ').append(pwq.pool.id);
            }
            out.append('\n');
        }
        out.append("\nWorkqueue -> rescuer\n====================\n");
        for (Workqueue wq : wqs) {
            if (wq.rescuer != null) {
                out.append(wq.name()).append(": ").append(wq.rescuer.getName()).append('\n');
            }
        }
        out.append("\nUnbound workqueue -> max_active\n===============================\n");
        for (Workqueue wq : wqs) {
            if (wq.unbound) {
                out.append(wq.name()).append(": max_active ").append(wq.maxActive())
                        .append(wq.isFrozen() ? " (frozen)" : "").append('\n');
            }
        }
        out.append('\n').append(PoolDump.busyPools());
        return out.toString();
    }
}
