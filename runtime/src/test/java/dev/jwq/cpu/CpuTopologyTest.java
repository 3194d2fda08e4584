package dev.jwq.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.AffinityScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuTopologyTest {
    @TempDir
    Path root;

    /** 8 CPUs numbered like Intel's: cores (0,4) (1,5) (2,6) (3,7); two L3s and two nodes of 2 cores. */
    private FakeSysfs twoSocketsWithSmt() {
        FakeSysfs fs = new FakeSysfs(root).smt("0,4", "1,5", "2,6", "3,7");
        for (String core : new String[] {"0,4", "1,5", "2,6", "3,7"}) {
            fs.cache(0, 1, "Data", core).cache(1, 1, "Instruction", core).cache(2, 2, "Unified", core);
        }
        return fs.cache(3, 3, "Unified", "0-1,4-5", "2-3,6-7").node(0, "0-1,4-5").node(1, "2-3,6-7");
    }

    @Test
    void smtPairsTwoCachesTwoNodes() {
        CpuTopology t = twoSocketsWithSmt().read("0-7");
        assertPods(t, AffinityScope.CPU, "0", "1", "2", "3", "4", "5", "6", "7");
        assertPods(t, AffinityScope.SMT, "0,4", "1,5", "2,6", "3,7");
        assertPods(t, AffinityScope.CACHE, "0-1,4-5", "2-3,6-7");
        assertPods(t, AffinityScope.CACHE_SHARD, "0-1,4-5", "2-3,6-7");
        assertPods(t, AffinityScope.NUMA, "0-1,4-5", "2-3,6-7");
        assertPods(t, AffinityScope.SYSTEM, "0-7");
        assertEquals(1, t.podIndexOf(5, AffinityScope.SMT));
        assertEquals(1, t.podIndexOf(6, AffinityScope.CACHE));
        assertEquals(0, t.podIndexOf(4, AffinityScope.NUMA));
        assertEquals(7, t.podIndexOf(7, AffinityScope.CPU));
        assertEquals(-1, t.podIndexOf(8, AffinityScope.SYSTEM));
        assertEquals(-1, t.podIndexOf(-1, AffinityScope.CACHE));
    }

    @Test
    void twentyCoreCacheMakesThreeShardsAndKeepsSiblingsTogether() {
        // 20 cores, siblings (i, i+20), one L3.
        String[] cores = new String[20];
        for (int i = 0; i < 20; i++) {
            cores[i] = i + "," + (i + 20);
        }
        CpuTopology t = new FakeSysfs(root).smt(cores).cache(3, 3, "Unified", "0-39").read("0-39");
        assertPods(t, AffinityScope.CACHE, "0-39");
        // DIV_ROUND_CLOSEST(20, 8) = 3 shards of 7, 7, 6 cores, in CPU order.
        assertPods(t, AffinityScope.CACHE_SHARD, "0-6,20-26", "7-13,27-33", "14-19,34-39");
        assertEquals(1, t.podIndexOf(27, AffinityScope.CACHE_SHARD));
        assertEquals(2, t.podIndexOf(39, AffinityScope.CACHE_SHARD));
    }

    @ParameterizedTest(name = "{0} cores -> shards of {1}")
    @CsvSource({"1, 1", "8, 8", "9, 9", "11, 11", "12, 6 6", "13, 7 6", "16, 8 8", "20, 7 7 6", "36, 8 7 7 7 7", "64, 8 8 8 8 8 8 8 8"})
    void shardSizesFollowLinux(int cores, String sizes) {
        CpuTopology t = new FakeSysfs(root).cache(3, 3, "Unified", "0-" + (cores - 1)).read("0-" + (cores - 1));
        List<String> actual = new ArrayList<>();
        t.pods(AffinityScope.CACHE_SHARD).forEach(p -> actual.add(String.valueOf(p.cardinality())));
        assertEquals(sizes, String.join(" ", actual));
        assertPartition(t);
    }

    @Test
    void shardsAreCutPerCache() {
        // Two caches of 12 cores each: 2 shards of 6 in each, never spanning caches.
        CpuTopology t = new FakeSysfs(root).cache(3, 3, "Unified", "0-11", "12-23").read("0-23");
        assertPods(t, AffinityScope.CACHE_SHARD, "0-5", "6-11", "12-17", "18-23");
    }

    @Test
    void theHighestLevelCacheIsTheLastLevelWhateverItsIndex() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.cache(0, 3, "Unified", "0-3").cache(1, 1, "Data", "0", "1", "2", "3").cache(3, 2, "Unified", "0-1", "2-3");
        assertPods(fs.read("0-3"), AffinityScope.CACHE, "0-3");
    }

    @Test
    void onALevelTieTheUnifiedCacheWins() {
        FakeSysfs fs = new FakeSysfs(root);
        fs.cache(0, 1, "Data", "0", "1", "2", "3").cache(1, 1, "Unified", "0-1", "2-3").cache(2, 1, "Instruction", "0", "1", "2", "3");
        assertPods(fs.read("0-3"), AffinityScope.CACHE, "0-1", "2-3");
    }

    @Test
    void missingFilesDegrade() {
        CpuTopology t = new FakeSysfs(root).read("0-3");
        assertPods(t, AffinityScope.SMT, "0", "1", "2", "3");
        assertPods(t, AffinityScope.CACHE, "0-3");
        assertPods(t, AffinityScope.CACHE_SHARD, "0-3");
        assertPods(t, AffinityScope.NUMA, "0-3");
        assertPods(t, AffinityScope.SYSTEM, "0-3");
        // A root that does not exist at all reads the same.
        assertPods(CpuTopology.read(root.resolve("nowhere").toFile(), FakeSysfs.cpus("0-3")), AffinityScope.CACHE, "0-3");
    }

    @Test
    void cpusWithoutInformationShareOneUnknownPod() {
        FakeSysfs fs = new FakeSysfs(root).cache(3, 3, "Unified", "0-1").node(0, "0-1");
        fs.write("devices/system/cpu/cpu2/cache/index3/level", "3\n"); // no shared_cpu_list: unknown
        CpuTopology t = fs.read("0-3");
        assertPods(t, AffinityScope.CACHE, "0-1", "2-3");
        assertPods(t, AffinityScope.NUMA, "0-1", "2-3");
    }

    @Test
    void malformedFilesCountAsMissing() {
        FakeSysfs fs = new FakeSysfs(root)
                .write("devices/system/cpu/cpu0/topology/thread_siblings_list", "zero and one\n")
                .write("devices/system/cpu/cpu1/topology/thread_siblings_list", "1\n")
                .write("devices/system/cpu/cpu0/cache/index3/level", "three\n")
                .write("devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "0\n")
                .write("devices/system/node/nodeX/cpulist", "0-1\n");
        CpuTopology t = fs.read("0-1");
        assertPods(t, AffinityScope.SMT, "0", "1");
        assertPods(t, AffinityScope.CACHE, "0-1");
        assertPods(t, AffinityScope.NUMA, "0-1");
    }

    @Test
    void onlyUsableCpusArePlaced() {
        CpuTopology t = twoSocketsWithSmt().read("0-2,4");
        assertPods(t, AffinityScope.SMT, "0,4", "1", "2");
        assertPods(t, AffinityScope.CACHE, "0-1,4", "2");
        assertPods(t, AffinityScope.NUMA, "0-1,4", "2");
        assertPods(t, AffinityScope.SYSTEM, "0-2,4");
        assertEquals(-1, t.podIndexOf(3, AffinityScope.CACHE));
        assertEquals(-1, t.podIndexOf(5, AffinityScope.SYSTEM));
        assertEquals("0-2,4", CpuLists.format(t.cpus()));
    }

    @Test
    void listsAreComparedOnTheUsableCpusOnly() {
        // CPU 0's lists name CPU 8, which this process may not use (taskset, cpuset): CPUs 0
        // and 1 still share a core and a cache.
        FakeSysfs fs = new FakeSysfs(root)
                .write("devices/system/cpu/cpu0/topology/thread_siblings_list", "0-1,8\n")
                .write("devices/system/cpu/cpu1/topology/thread_siblings_list", "0-1\n")
                .write("devices/system/cpu/cpu0/cache/index3/level", "3\n")
                .write("devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "0-1,8\n")
                .write("devices/system/cpu/cpu1/cache/index3/level", "3\n")
                .write("devices/system/cpu/cpu1/cache/index3/shared_cpu_list", "0-1\n");
        CpuTopology t = fs.read("0-1");
        assertPods(t, AffinityScope.SMT, "0-1");
        assertPods(t, AffinityScope.CACHE, "0-1");
    }

    @Test
    void podsAreCopies() {
        CpuTopology t = twoSocketsWithSmt().read("0-7");
        t.pods(AffinityScope.CACHE).get(0).set(100);
        t.cpus().clear();
        assertPods(t, AffinityScope.CACHE, "0-1,4-5", "2-3,6-7");
        assertEquals("0-7", CpuLists.format(t.cpus()));
    }

    @Test
    void badInputIsNamed() {
        CpuTopology t = twoSocketsWithSmt().read("0-7");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.pods(AffinityScope.DEFAULT));
        assertTrue(e.getMessage().contains("DEFAULT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.podIndexOf(0, AffinityScope.DEFAULT));
        assertThrows(NullPointerException.class, () -> t.pods(null));
        e = assertThrows(IllegalArgumentException.class, () -> CpuTopology.read(root.toFile(), new BitSet()));
        assertTrue(e.getMessage().contains("no usable CPUs"), e.getMessage());
    }

    @Test
    void thisMachinesTopologyPartitionsItsCpus() {
        BitSet usable = NativeCpu.get().allowedCpus();
        if (usable == null) {
            usable = CpuLists.parse(ThreadStatus.processAllowedList());
        }
        CpuTopology t = CpuTopology.read(usable);
        assertEquals(usable, t.cpus());
        assertPartition(t);
        assertFalse(t.describe().isEmpty());
    }

    /** The pods of every scope are disjoint, cover the usable CPUs, and agree with podIndexOf. */
    private static void assertPartition(CpuTopology t) {
        for (AffinityScope scope : AffinityScope.values()) {
            if (scope == AffinityScope.DEFAULT) {
                continue;
            }
            BitSet seen = new BitSet();
            List<BitSet> pods = t.pods(scope);
            for (int p = 0; p < pods.size(); p++) {
                BitSet pod = pods.get(p);
                assertFalse(pod.isEmpty(), scope + " has an empty pod");
                assertFalse(pod.intersects(seen), scope + " pods overlap");
                seen.or(pod);
                int index = p;
                pod.stream().forEach(cpu -> assertEquals(index, t.podIndexOf(cpu, scope), scope + " cpu " + cpu));
                if (p > 0) {
                    assertTrue(pods.get(p - 1).nextSetBit(0) < pod.nextSetBit(0), scope + " pods out of order");
                }
            }
            assertEquals(t.cpus(), seen, scope + " pods do not cover the usable CPUs");
        }
    }

    private static void assertPods(CpuTopology t, AffinityScope scope, String... expected) {
        List<String> actual = new ArrayList<>();
        t.pods(scope).forEach(p -> actual.add(CpuLists.format(p)));
        assertEquals(List.of(expected), actual, scope.toString());
        assertPartition(t);
    }
}
