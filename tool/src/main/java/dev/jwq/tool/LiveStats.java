package dev.jwq.tool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * One reading of a live runtime's workqueue and pool MXBeans: what {@code wq_monitor.py} reads
 * from the kernel each interval. Each bean's attributes come in one round trip; a bean that
 * disappears between listing and reading (a workqueue destroyed meanwhile) is left out.
 */
record LiveStats(long nanoTime, List<Wq> workqueues, List<Pool> pools) {
    private static final String[] WQ_ATTRIBUTES = {"Flags", "Started", "Completed", "CpuIntensive", "CmWakeups",
            "Maydays", "Rescued", "MaxActive", "Active", "Inactive"};
    private static final String[] POOL_ATTRIBUTES = {"Id", "Cpu", "Cpus", "HighPriority", "Workers", "Idle",
            "Running", "Pending", "Completed"};

    /** A workqueue's counters, cumulative since it was created; {@code name} as registered (a second "x" is "x#2"). */
    record Wq(String name, String flags, long started, long completed, long cpuIntensive, long cmWakeups,
            long maydays, long rescued, int maxActive, int active, int inactive) {
        boolean unbound() {
            return flags.contains("UNBOUND");
        }

        boolean memReclaim() {
            return flags.contains("MEM_RECLAIM");
        }

        long inFlight() {
            return Math.max(0, started - completed);
        }
    }

    /** A pool's shape and its state now. */
    record Pool(int id, int cpu, String cpus, boolean highPriority, int workers, int idle, int running, int pending,
            long completed) {
        /** Busy as wq_dump's "busy worker pools": work waiting, or a worker not idle. */
        boolean busy() {
            return pending > 0 || running > 0 || workers > idle;
        }

        String describe() {
            return (cpu >= 0 ? "cpu " + cpu : "cpus " + cpus) + (highPriority ? " highpri" : "");
        }
    }

    static LiveStats read(MBeanServerConnection mbeans) throws IOException, ToolException {
        long now = System.nanoTime();
        List<Wq> wqs = new ArrayList<>();
        for (ObjectName on : mbeans.queryNames(Target.WORKQUEUES, null)) {
            Map<String, Object> a = attributes(mbeans, on, WQ_ATTRIBUTES);
            if (a != null) {
                wqs.add(new Wq(ObjectName.unquote(on.getKeyProperty("name")), (String) a.get("Flags"),
                        (Long) a.get("Started"), (Long) a.get("Completed"), (Long) a.get("CpuIntensive"),
                        (Long) a.get("CmWakeups"), (Long) a.get("Maydays"), (Long) a.get("Rescued"),
                        (Integer) a.get("MaxActive"), (Integer) a.get("Active"), (Integer) a.get("Inactive")));
            }
        }
        wqs.sort(Comparator.comparing(Wq::name));
        List<Pool> pools = new ArrayList<>();
        for (ObjectName on : mbeans.queryNames(Target.POOLS, null)) {
            Map<String, Object> a = attributes(mbeans, on, POOL_ATTRIBUTES);
            if (a != null) {
                pools.add(new Pool((Integer) a.get("Id"), (Integer) a.get("Cpu"), (String) a.get("Cpus"),
                        (Boolean) a.get("HighPriority"), (Integer) a.get("Workers"), (Integer) a.get("Idle"),
                        (Integer) a.get("Running"), (Integer) a.get("Pending"), (Long) a.get("Completed")));
            }
        }
        pools.sort(Comparator.comparingInt(Pool::id));
        return new LiveStats(now, List.copyOf(wqs), List.copyOf(pools));
    }

    /**
     * The named attributes, or null when the bean went away; fails when one is missing (a runtime
     * of another shape).
     */
    private static Map<String, Object> attributes(MBeanServerConnection mbeans, ObjectName on, String[] names)
            throws IOException, ToolException {
        AttributeList list;
        try {
            list = mbeans.getAttributes(on, names);
        } catch (InstanceNotFoundException e) {
            return null;
        } catch (JMException e) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot read " + on + ": " + Target.why(e), e);
        }
        Map<String, Object> out = new HashMap<>();
        for (Attribute a : list.asList()) {
            out.put(a.getName(), a.getValue());
        }
        for (String n : names) {
            if (out.get(n) == null) {
                throw new ToolException(Main.EXIT_FAILURE,
                        on + " has no attribute " + n + " (a jwq runtime of another version?)");
            }
        }
        return out;
    }
}
