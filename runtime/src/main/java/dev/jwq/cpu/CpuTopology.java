package dev.jwq.cpu;

import dev.jwq.AffinityScope;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The CPUs this process may use, grouped into the pods of each {@link AffinityScope} (Linux's
 * {@code wq_pod_types}, built by {@code workqueue_init_topology}). Internal.
 *
 * <p>Read once from sysfs (root {@code /sys}, injectable for tests), for each usable CPU N:
 * <ul>
 *   <li>SMT siblings: {@code devices/system/cpu/cpuN/topology/thread_siblings_list};
 *       missing: the CPU is a core of its own.</li>
 *   <li>last-level cache: among {@code devices/system/cpu/cpuN/cache/indexK}, the one with the
 *       highest {@code level} (a {@code Unified} one on a tie), its {@code shared_cpu_list};
 *       missing: the CPU shares one cache with every other CPU whose cache is unknown.</li>
 *   <li>NUMA node: the {@code devices/system/node/nodeM/cpulist} that holds it; missing: one
 *       node for every CPU that no node lists.</li>
 * </ul>
 * Every list is cut down to the usable CPUs, and a pod is the set of CPUs that read the same
 * list, so each scope's pods always partition the usable CPUs, whatever sysfs says.
 *
 * <p>{@link AffinityScope#CACHE_SHARD} splits each last-level cache into shards of whole cores
 * (SMT siblings never split), following Linux 7.1's {@code llc_calc_shard_layout}: the number of
 * shards is the cache's cores divided by {@value #CACHE_SHARD_CORES}, rounded to the closest
 * whole number (at least one), and the cores, in CPU order, are spread as evenly as possible,
 * the first shards taking one more. So 20 cores make 3 shards of 7+7+6 and 36 make 8+7+7+7+7;
 * like Linux, 9 to 11 cores stay one shard, since 1 is the shard count closest to the target.
 */
public final class CpuTopology {
    /** The number of cores a cache shard aims at (Linux's {@code wq_cache_shard_size} default). */
    public static final int CACHE_SHARD_CORES = 8;

    /** The default sysfs root. */
    public static final File SYSFS = new File("/sys");

    private final BitSet cpus;                               // I: usable CPUs
    private final Map<AffinityScope, List<BitSet>> pods;     // I: scope -> pods, by lowest CPU
    private final Map<AffinityScope, int[]> podOf;           // I: scope -> CPU number -> pod index, or -1

    private CpuTopology(BitSet cpus, Map<AffinityScope, List<BitSet>> pods) {
        this.cpus = cpus;
        this.pods = pods;
        this.podOf = new EnumMap<>(AffinityScope.class);
        for (Map.Entry<AffinityScope, List<BitSet>> e : pods.entrySet()) {
            int[] index = new int[cpus.length()];
            Arrays.fill(index, -1);
            List<BitSet> list = e.getValue();
            for (int p = 0; p < list.size(); p++) {
                BitSet pod = list.get(p);
                for (int cpu = pod.nextSetBit(0); cpu >= 0; cpu = pod.nextSetBit(cpu + 1)) {
                    index[cpu] = p;
                }
            }
            podOf.put(e.getKey(), index);
        }
    }

    /** Reads the topology of the {@code usable} CPUs from {@code /sys}. */
    public static CpuTopology read(BitSet usable) {
        return read(SYSFS, usable);
    }

    /**
     * Reads the topology of the {@code usable} CPUs from the sysfs tree at {@code sysRoot}; what
     * is missing or unreadable degrades as the class comment says, never fails.
     *
     * @throws IllegalArgumentException if {@code usable} is empty
     */
    public static CpuTopology read(File sysRoot, BitSet usable) {
        Objects.requireNonNull(sysRoot, "sysRoot is null");
        Objects.requireNonNull(usable, "usable is null");
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no usable CPUs");
        }
        BitSet cpus = (BitSet) usable.clone();
        File cpuDir = new File(sysRoot, "devices/system/cpu");
        Map<Integer, Integer> nodeOf = readNodes(new File(sysRoot, "devices/system/node"));

        // Plain loops, no lambdas or streams here: this runs in every process that makes a
        // workqueue, and each lambda or stream pipeline first used costs classes and garbage
        // (the topology read was 1 MiB of heap with them).
        Object[] cpuKey = new Object[cpus.length()];
        Object[] smtKey = new Object[cpus.length()];
        Object[] cacheKey = new Object[cpus.length()];
        Object[] nodeKey = new Object[cpus.length()];
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            cpuKey[cpu] = cpu;
            smtKey[cpu] = siblingKey(cpuDir, cpu, cpus);
            cacheKey[cpu] = lastLevelCacheKey(cpuDir, cpu, cpus);
            nodeKey[cpu] = nodeOf.get(cpu);
        }
        Map<AffinityScope, List<BitSet>> pods = new EnumMap<>(AffinityScope.class);
        pods.put(AffinityScope.CPU, group(cpus, cpuKey));
        pods.put(AffinityScope.SMT, group(cpus, smtKey));
        pods.put(AffinityScope.CACHE, group(cpus, cacheKey));
        pods.put(AffinityScope.CACHE_SHARD, shard(pods.get(AffinityScope.CACHE), pods.get(AffinityScope.SMT)));
        pods.put(AffinityScope.NUMA, group(cpus, nodeKey));
        pods.put(AffinityScope.SYSTEM, List.of((BitSet) cpus.clone()));
        for (Map.Entry<AffinityScope, List<BitSet>> e : pods.entrySet()) {
            e.setValue(Collections.unmodifiableList(e.getValue()));
        }
        return new CpuTopology(cpus, pods);
    }

    /** The usable CPUs (a copy). */
    public BitSet cpus() {
        return (BitSet) cpus.clone();
    }

    /**
     * The pods of {@code scope}: disjoint CPU sets covering the usable CPUs, ordered by their
     * lowest CPU (copies).
     *
     * @throws IllegalArgumentException for {@link AffinityScope#DEFAULT}, which the caller
     *         resolves first ({@code jwq.defaultAffinityScope})
     */
    public List<BitSet> pods(AffinityScope scope) {
        List<BitSet> list = podsOf(scope);
        List<BitSet> copy = new ArrayList<>(list.size());
        for (BitSet pod : list) {
            copy.add((BitSet) pod.clone());
        }
        return copy;
    }

    /** The index in {@link #pods(AffinityScope)} of the pod holding {@code cpu}, or -1 if it is not usable. */
    public int podIndexOf(int cpu, AffinityScope scope) {
        podsOf(scope);
        int[] index = podOf.get(scope);
        return cpu >= 0 && cpu < index.length ? index[cpu] : -1;
    }

    /** One line per scope, e.g. {@code cache_shard: 0-3,8-11 4-7,12-15}; for logs and dumps. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        pods.forEach((scope, list) -> {
            sb.append(scope.name().toLowerCase(Locale.ROOT)).append(':');
            list.forEach(pod -> sb.append(' ').append(CpuLists.format(pod)));
            sb.append('\n');
        });
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CpuTopology[" + CpuLists.format(cpus) + "]";
    }

    private List<BitSet> podsOf(AffinityScope scope) {
        Objects.requireNonNull(scope, "scope is null");
        if (scope == AffinityScope.DEFAULT) {
            throw new IllegalArgumentException("AffinityScope.DEFAULT has no pods of its own: resolve it first (jwq.defaultAffinityScope)");
        }
        return pods.get(scope);
    }

    /* --------------- Grouping --------------- */

    /** No list found: all such CPUs share one pod. */
    private static final Object UNKNOWN = new Object();

    /** Pods of the CPUs whose keys ({@code keyOf[cpu]}) are equal (null counts as one key), ordered by lowest CPU. */
    private static List<BitSet> group(BitSet cpus, Object[] keyOf) {
        Map<Object, BitSet> byKey = new LinkedHashMap<>(); // CPUs come in order: pods by lowest CPU
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            Object key = keyOf[cpu] != null ? keyOf[cpu] : UNKNOWN;
            BitSet pod = byKey.get(key);
            if (pod == null) {
                pod = new BitSet();
                byKey.put(key, pod);
            }
            pod.set(cpu);
        }
        return new ArrayList<>(byKey.values());
    }

    /** Orders CPU sets by their lowest CPU (a class rather than a lambda, see {@link #read(File, BitSet)}). */
    private static final class ByLowestCpu implements Comparator<BitSet> {
        static final ByLowestCpu INSTANCE = new ByLowestCpu();

        @Override
        public int compare(BitSet a, BitSet b) {
            return Integer.compare(a.nextSetBit(0), b.nextSetBit(0));
        }
    }

    /**
     * Splits each cache pod into shards of whole cores ({@code llc_calc_shard_layout} and
     * {@code llc_populate_cpu_shard_id}); see the class comment.
     */
    private static List<BitSet> shard(List<BitSet> caches, List<BitSet> cores) {
        List<BitSet> shards = new ArrayList<>();
        for (BitSet cache : caches) {
            // The cache's cores in CPU order; a core split across caches (odd sysfs) counts in each.
            List<BitSet> inCache = new ArrayList<>();
            for (BitSet core : cores) {
                BitSet part = (BitSet) core.clone();
                part.and(cache);
                if (!part.isEmpty()) {
                    inCache.add(part);
                }
            }
            inCache.sort(ByLowestCpu.INSTANCE);
            int n = inCache.size();
            // DIV_ROUND_CLOSEST(n, 8): the shard count whose average size is closest to the target.
            int nrShards = Math.max(1, (n + CACHE_SHARD_CORES / 2) / CACHE_SHARD_CORES);
            int perShard = n / nrShards;
            int large = n % nrShards; // the first `large` shards take one core more
            int next = 0;
            for (int s = 0; s < nrShards; s++) {
                BitSet shard = new BitSet();
                int size = perShard + (s < large ? 1 : 0);
                for (int c = 0; c < size; c++) {
                    shard.or(inCache.get(next++));
                }
                shards.add(shard);
            }
        }
        shards.sort(ByLowestCpu.INSTANCE);
        return shards;
    }

    /* --------------- Reading sysfs --------------- */

    /** The CPU's SMT siblings among the usable CPUs (itself at least). */
    private static BitSet siblingKey(File cpuDir, int cpu, BitSet usable) {
        BitSet siblings = readList(new File(cpuDir, "cpu" + cpu + "/topology/thread_siblings_list"));
        if (siblings == null) {
            siblings = new BitSet();
        }
        siblings.and(usable);
        siblings.set(cpu);
        return siblings;
    }

    /** The usable CPUs sharing the CPU's last-level cache (itself at least), or null if unknown. */
    private static BitSet lastLevelCacheKey(File cpuDir, int cpu, BitSet usable) {
        int bestLevel = -1;
        boolean bestUnified = false;
        BitSet best = null;
        for (File index : indexDirs(new File(cpuDir, "cpu" + cpu + "/cache"))) {
            String levelText = KernelFiles.read(new File(index, "level"));
            BitSet shared = readList(new File(index, "shared_cpu_list"));
            if (levelText == null || shared == null) {
                continue;
            }
            int level;
            try {
                level = Integer.parseInt(levelText);
            } catch (NumberFormatException e) {
                continue;
            }
            boolean unified = "Unified".equals(KernelFiles.read(new File(index, "type")));
            if (level > bestLevel || (level == bestLevel && unified && !bestUnified)) {
                bestLevel = level;
                bestUnified = unified;
                best = shared;
            }
        }
        if (best == null) {
            return null;
        }
        best.and(usable);
        best.set(cpu);
        return best;
    }

    /** {@code indexK} directories, by K. */
    private static List<File> indexDirs(File cacheDir) {
        List<File> dirs = numbered(cacheDir, "index");
        if (dirs == null) {
            return List.of(); // no cache information: degrade
        }
        File[] byK = dirs.toArray(new File[0]);
        // Insertion sort by K: a CPU has a handful of caches, and no comparator class is needed.
        for (int i = 1; i < byK.length; i++) {
            File p = byK[i];
            int k = suffix(p, "index");
            int j = i - 1;
            for (; j >= 0 && suffix(byK[j], "index") > k; j--) {
                byK[j + 1] = byK[j];
            }
            byK[j + 1] = p;
        }
        return Arrays.asList(byK);
    }

    /**
     * The entries of {@code dir} named {@code prefix} and a number ({@code index3},
     * {@code node0}), in directory order, or null when it cannot be read. Matched by hand: a
     * glob would compile a regular expression.
     */
    private static List<File> numbered(File dir, String prefix) {
        String[] names; // File.list, not a DirectoryStream: the JDK's stream spins a lambda
        try {
            names = dir.list();
        } catch (RuntimeException e) {
            return null;
        }
        if (names == null) {
            return null;
        }
        List<File> found = new ArrayList<>();
        for (String name : names) {
            File p = new File(dir, name);
            if (suffix(p, prefix) >= 0) {
                found.add(p);
            }
        }
        return found;
    }

    /** CPU number -> NUMA node id, from {@code nodeM/cpulist}; empty if there are none. */
    private static Map<Integer, Integer> readNodes(File nodeDir) {
        Map<Integer, Integer> nodeOf = new HashMap<>();
        List<File> nodes = numbered(nodeDir, "node");
        if (nodes == null) {
            return nodeOf; // no NUMA information: one node for all
        }
        for (File node : nodes) {
            int id = suffix(node, "node");
            BitSet cpus = readList(new File(node, "cpulist"));
            if (cpus != null) {
                for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
                    nodeOf.putIfAbsent(cpu, id);
                }
            }
        }
        return nodeOf;
    }

    /** The number after {@code prefix} in {@code p}'s name ({@code index3}: 3), or -1 if it is not that. */
    private static int suffix(File p, String prefix) {
        String name = p.getName();
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() > prefix.length() + 9) {
            return -1;
        }
        int n = 0;
        for (int i = prefix.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static BitSet readList(File file) {
        String line = KernelFiles.read(file);
        if (line == null) {
            return null;
        }
        try {
            return CpuLists.parse(line);
        } catch (IllegalArgumentException e) {
            return null; // unreadable list: as if missing
        }
    }
}
