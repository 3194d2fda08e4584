package dev.jwq;

import dev.jwq.cpu.CpuLists;
import dev.jwq.cpu.CpuTopology;
import dev.jwq.cpu.KernelFiles;
import dev.jwq.cpu.NativeCpu;
import java.io.File;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPUs this process may use, and which one the caller is on. Read once at start:
 * {@code Cpus_allowed_list} of {@code /proc/thread-self/status}, the set
 * {@code sched_getaffinity(0)} returns, read without setting up the native calls (their FFM
 * binding costs about 5 MiB of heap and a few hundred classes, which a process that never pins a
 * worker nor asks for its CPU need not pay); else {@code sched_getaffinity} where the native
 * calls are available (see {@link NativeCpu}), else {@code /proc/self/status}; all honour taskset
 * and cgroup cpusets. Elsewhere, CPUs 0 .. availableProcessors-1.
 *
 * <p>"The current CPU" is the worker's own CPU on a bound worker; for any other thread it is
 * {@code sched_getcpu()} when that is available and names a usable CPU, else a stable per-thread
 * choice spread over the usable CPUs.
 *
 * <p>Simulation (tests and measurements only, not a setting: nothing else reads these): with
 * {@value #SIM_CPUS} set to a CPU list such as {@code 0-255}, those are the usable CPUs instead
 * of what the kernel says, and the topology is read from the sysfs tree at {@value #SIM_SYSFS}
 * (default {@code /sys}). That lets a test start the runtime on a 256-CPU shape on a 2-CPU machine.
 * The simulated CPUs do not exist, so nothing may be pinned to them: {@code jwq.pin} is off
 * then, and asking for it is refused ({@link Settings}).
 */
final class Cpus {
    /** Test/simulation only: a CPU list that replaces the usable CPUs. */
    static final String SIM_CPUS = "jwq.sim.cpus";
    /** Test/simulation only: the sysfs root the topology is read from while simulating. */
    static final String SIM_SYSFS = "jwq.sim.sysfs";

    // Legend: I: final after class initialisation, never written again.
    private static final int[] USABLE = readUsable();          // I: usable CPU numbers, ascending
    private static final int[] INDEX_OF = indexOf(USABLE);     // I: CPU number -> index, or -1

    private Cpus() {}

    /** Number of usable CPUs; pools and per-CPU pwqs are indexed 0 .. count-1. */
    static int count() {
        return USABLE.length;
    }

    /** The CPU number at {@code index}. */
    static int cpuAt(int index) {
        return USABLE[index];
    }

    /** The index of CPU {@code cpu}, or -1 if the process may not use it. */
    static int indexOf(int cpu) {
        return cpu >= 0 && cpu < INDEX_OF.length ? INDEX_OF[cpu] : -1;
    }

    static String describe() {
        return Arrays.toString(USABLE);
    }

    /**
     * A CPU index that stands for "the caller's CPU, looked up only if it matters": a workqueue
     * whose every CPU queues on one pwq never asks (the lookup is a system call or an FFM down-call).
     */
    static final int ANY = -2;

    /** The index of the caller's CPU (see the class comment). */
    static int currentIndex() {
        Worker w = Worker.current();
        if (w != null && w.pool != null && w.pool.cpu >= 0) {
            return indexOf(w.pool.cpu);
        }
        Thread t = Thread.currentThread();
        int idx = indexOf(NativeCpu.get().currentCpu()); // about 3 ns with FFM (JMH); -1 when unknown
        if (idx >= 0) {
            return idx;
        }
        // Threads are usually created in runs (a pool of producers): consecutive ids land on
        // consecutive CPUs.
        return (int) (t.threadId() % USABLE.length);
    }

    /** The topology of the usable CPUs, read from sysfs on first use. */
    static CpuTopology topology() {
        return TopologyHolder.TOPOLOGY;
    }

    private static final class TopologyHolder {
        static final CpuTopology TOPOLOGY = CpuTopology.read(sysfsRoot(), usableSet());
    }

    /** The usable CPUs, ascending. */
    static Set<Integer> usableCpus() {
        Set<Integer> set = new TreeSet<>();
        for (int cpu : USABLE) {
            set.add(cpu);
        }
        return set;
    }

    /** {@code cpus} as a BitSet (a new one). */
    static BitSet bits(Set<Integer> cpus) {
        BitSet set = new BitSet();
        for (int cpu : cpus) { // a loop, not a method reference: no lambda on the first workqueue's path
            set.set(cpu);
        }
        return set;
    }

    /** The usable CPUs as a set (a new one). */
    static BitSet usableSet() {
        BitSet set = new BitSet();
        for (int cpu : USABLE) {
            set.set(cpu);
        }
        return set;
    }

    /** Whether {@value #SIM_CPUS} replaces the usable CPUs in this process. */
    static boolean simulated() {
        return System.getProperty(SIM_CPUS) != null;
    }

    private static File sysfsRoot() {
        String root = simulated() ? System.getProperty(SIM_SYSFS) : null;
        return root == null ? CpuTopology.SYSFS : new File(root);
    }

    private static int[] readUsable() {
        if (simulated()) {
            BitSet simulated = parseList(System.getProperty(SIM_CPUS));
            if (simulated.isEmpty()) {
                throw new IllegalArgumentException(SIM_CPUS + " names no CPU: " + System.getProperty(SIM_CPUS));
            }
            return toArray(simulated);
        }
        BitSet allowed = allowedIn("/proc/thread-self/status");
        if (allowed.isEmpty()) {
            allowed = NativeCpu.get().allowedCpus(); // /proc/thread-self missing: Linux before 3.17, or no /proc
        }
        if (allowed == null || allowed.isEmpty()) {
            allowed = allowedIn("/proc/self/status");
        }
        if (!allowed.isEmpty()) {
            return toArray(allowed);
        }
        int n = Runtime.getRuntime().availableProcessors();
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** The CPUs of {@code set}, ascending (a loop: a stream here would be the process's first, classes and all). */
    private static int[] toArray(BitSet set) {
        int[] cpus = new int[set.cardinality()];
        int i = 0;
        for (int cpu = set.nextSetBit(0); cpu >= 0; cpu = set.nextSetBit(cpu + 1)) {
            cpus[i++] = cpu;
        }
        return cpus;
    }

    /**
     * The {@code Cpus_allowed_list} of a {@code /proc} status file, or an empty set when there is
     * none (read through {@code java.io}, see {@link KernelFiles}).
     */
    private static BitSet allowedIn(String statusFile) {
        String status = KernelFiles.read(new File(statusFile));
        if (status == null) {
            return new BitSet(); // not Linux, or no /proc: the caller falls back
        }
        try {
            for (String line : status.split("\n")) { // one character: split's fast path, no regular expression
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (RuntimeException e) {
            // an unexpected format: the caller falls back
        }
        return new BitSet();
    }

    /** Parses a Linux CPU list such as {@code 0-3,8,10-11}. */
    static BitSet parseList(String list) {
        return CpuLists.parse(list);
    }

    private static int[] indexOf(int[] usable) {
        int max = usable[usable.length - 1];
        int[] idx = new int[max + 1];
        Arrays.fill(idx, -1);
        for (int i = 0; i < usable.length; i++) {
            idx[usable[i]] = i;
        }
        return idx;
    }
}
