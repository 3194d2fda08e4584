package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.cpu.FakeSysfs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale past this machine (issue 11): the runtime started on simulated topologies of 2, 64 and
 * 256 CPUs ({@code jwq.sim.cpus}, a fake sysfs tree; pinning off), each in a child JVM
 * ({@link ScaleChild}), costs the same number of platform threads and about the same heap
 * whether idle or lightly loaded: pools, workers and carriers are made when a CPU is first
 * used, never one per CPU up front (an idle process on 256 CPUs must not hold 512 pools).
 * No timing is asserted.
 */
class ScaleTest {
    /** CPU counts simulated; the first is the reference the others are compared with. */
    static final int[] CPUS = {2, 64, 256};

    @TempDir
    Path tmp;

    @Test
    void idleAndLightlyLoadedCostsDoNotGrowWithTheCpuCount() throws Exception {
        Map<Integer, Map<String, Long>> figures = new LinkedHashMap<>();
        for (int n : CPUS) {
            figures.put(n, runOn(n));
        }
        figures.forEach((n, f) -> System.out.println("ScaleTest: " + n + " CPUs: " + f));
        Map<String, Long> small = figures.get(CPUS[0]);
        for (int n : CPUS) {
            Map<String, Long> f = figures.get(n);
            assertEquals(n, f.get("cpus"), "simulated CPUs");
            // Idle: only what the runtime needs at all (the timer thread); no CPU's pool was used.
            assertEquals(0, f.get("idleBoundPools"), n + " CPUs idle: bound pools made before any CPU was used " + f);
            assertTrue(f.get("idleThreads") <= small.get("idleThreads") + 1,
                    n + " CPUs idle: " + f.get("idleThreads") + " platform threads, " + small.get("idleThreads") + " on 2: " + f);
            assertTrue(f.get("idleHeapKiB") <= small.get("idleHeapKiB") + IDLE_HEAP_SLACK_KIB,
                    n + " CPUs idle: heap " + f.get("idleHeapKiB") + " KiB, " + small.get("idleHeapKiB") + " KiB on 2: " + f);
            // Lightly loaded from one thread: the caller's CPUs and at most a few nearby ones are used.
            assertTrue(f.get("loadedBoundPools") <= LOADED_BOUND_POOLS,
                    n + " CPUs loaded: " + f.get("loadedBoundPools") + " bound pools: " + f);
            assertTrue(f.get("loadedThreads") <= small.get("loadedThreads") + LOADED_THREAD_SLACK,
                    n + " CPUs loaded: " + f.get("loadedThreads") + " platform threads, " + small.get("loadedThreads") + " on 2: " + f);
            assertTrue(f.get("loadedHeapKiB") <= small.get("loadedHeapKiB") + LOADED_HEAP_SLACK_KIB,
                    n + " CPUs loaded: heap " + f.get("loadedHeapKiB") + " KiB, " + small.get("loadedHeapKiB") + " KiB on 2: " + f);
        }
    }

    /**
     * Heap growth allowed from 2 to 256 CPUs. Measured (2026-12): +112 KiB idle, +215 KiB loaded
     * (per-CPU slot arrays, the unbound pools of 16 pods); with every bound pool and per-CPU pwq
     * made up front it was +1167 KiB idle (the idle bound is the one that catches that). Loaded,
     * the figure moves with what the workers did (their virtual-thread stacks are heap too):
     * +190-250 KiB in runs here, +741 KiB once in a clean-clone CI run, so the loaded bound
     * allows more.
     */
    static final long IDLE_HEAP_SLACK_KIB = 512;
    static final long LOADED_HEAP_SLACK_KIB = 1024;
    /**
     * Bound pools one outside thread's items may use: those of the real CPUs it runs on (their
     * indexes stand for simulated CPUs) and the next few each looks at (PwqRouting.NEARBY = 4).
     */
    static final long LOADED_BOUND_POOLS = Runtime.getRuntime().availableProcessors() + 4;
    /**
     * Extra platform threads allowed when loaded: an unbound pool aims at one running worker per
     * CPU of its pod, so the simulated 16-CPU cache's pool may start up to 16 carriers where the
     * 2-CPU one starts 2 (14 more), and each of the at most 4 more bound pools one carrier.
     * Measured: 13 on 2 CPUs, 17 to 19 on 64, 19 to 26 on 256. And a few more: the pool is not
     * strict, so it has a dormant carrier for every CPU its workqueues allow and starts one for a
     * worker that finds no idle carrier while others start (20 carriers for the 16-CPU pod, 35
     * and 36 threads on 256 CPUs, in session 27's runs, the second in a clean-clone CI run), and
     * compensating carriers (Carriers in docs/design.md), which the carrier watch starts for a
     * carrier it sees held by one worker past its threshold, as a busy machine's descheduling can
     * make it look. Threads per CPU made up front would be hundreds.
     */
    static final long LOADED_THREAD_SLACK = 14 + 4 + 8;

    /**
     * A sysfs tree of {@code n} CPUs shaped like a server: SMT pairs, a last-level cache per 16
     * CPUs, a NUMA node per 64.
     */
    private Map<String, Long> runOn(int n) throws Exception {
        FakeSysfs sysfs = new FakeSysfs(tmp.resolve("sys" + n));
        for (int cpu = 0; cpu < n; cpu += 2) {
            sysfs.smt(cpu + "-" + (cpu + 1));
        }
        for (int cpu = 0; cpu < n; cpu += 16) {
            sysfs.cache(3, 3, "Unified", cpu + "-" + (Math.min(n, cpu + 16) - 1));
        }
        for (int cpu = 0; cpu < n; cpu += 64) {
            sysfs.node(cpu / 64, cpu + "-" + (Math.min(n, cpu + 64) - 1));
        }
        ChildJvm.Result r = ChildJvm.run(ScaleChild.class, "-D" + Cpus.SIM_CPUS + "=0-" + (n - 1),
                "-D" + Cpus.SIM_SYSFS + "=" + sysfs.root, "-Djwq.pin=false",
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED");
        assertEquals(0, r.exitCode(), n + " CPUs: child failed:\n" + r.output());
        Map<String, Long> f = new LinkedHashMap<>();
        r.output().lines().filter(l -> l.startsWith("threads ")).forEach(l -> System.out.println("ScaleTest: " + n + " CPUs, loaded: " + l));
        r.output().lines().filter(l -> l.startsWith("figure ")).forEach(l -> {
            String[] parts = l.split(" ");
            f.put(parts[1], Long.parseLong(parts[2]));
        });
        return f;
    }
}
