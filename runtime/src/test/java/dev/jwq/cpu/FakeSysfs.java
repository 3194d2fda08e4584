package dev.jwq.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/** Writes a sysfs tree of CPU topology files under a temporary root (test helper; public for the runtime's scale test). */
public final class FakeSysfs {
    public final Path root;

    public FakeSysfs(Path root) {
        this.root = root;
    }

    /** Each list is one core: every CPU in it gets it as its {@code thread_siblings_list}. */
    public FakeSysfs smt(String... cores) {
        for (String core : cores) {
            CpuLists.parse(core).stream().forEach(cpu -> write("devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list", core));
        }
        return this;
    }

    /** Each list shares one cache: every CPU in it gets {@code cache/index<k>} with that level and type. */
    public FakeSysfs cache(int index, int level, String type, String... shared) {
        for (String list : shared) {
            CpuLists.parse(list).stream().forEach(cpu -> {
                String dir = "devices/system/cpu/cpu" + cpu + "/cache/index" + index + "/";
                write(dir + "level", level + "\n");
                write(dir + "type", type + "\n");
                write(dir + "shared_cpu_list", list + "\n");
            });
        }
        return this;
    }

    public FakeSysfs node(int id, String cpulist) {
        write("devices/system/node/node" + id + "/cpulist", cpulist + "\n");
        return this;
    }

    FakeSysfs write(String file, String content) {
        try {
            Path p = root.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CpuTopology read(String usable) {
        return CpuTopology.read(root.toFile(), CpuLists.parse(usable));
    }

    static BitSet cpus(String list) {
        return CpuLists.parse(list);
    }
}
