package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime as the agent loads it, from the bootstrap class path: its FFM part included. */
class RuntimeUnderAgentIT {
    /** The CPUs this JVM may use, from /proc/self/status (Linux), e.g. [0, 1]. */
    private static List<Integer> usableCpus() throws Exception {
        List<Integer> cpus = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                    String[] range = part.split("-");
                    for (int c = Integer.parseInt(range[0]); c <= Integer.parseInt(range[range.length - 1]); c++) {
                        cpus.add(c);
                    }
                }
            }
        }
        return cpus;
    }

    /**
     * Per-CPU workers are pinned under the agent too: the bootstrap class path ignores
     * multi-release jars, so the agent jar carries the runtime's Java 22 classes at its root
     * (without them jwq ran unpinned, with a warning, under every -javaagent); and it needs no
     * --enable-native-access flag, nor prints the JDK's warning about one.
     */
    @Test
    void perCpuWorkersArePinnedUnderTheAgent() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/status")) && Runtime.version().feature() >= 22,
                "Linux and JDK 22+ only");
        List<Integer> cpus = usableCpus();
        assumeTrue(!cpus.isEmpty(), "no Cpus_allowed_list");
        List<String> args = cpus.stream().map(String::valueOf).toList();
        ChildJvm.Result r = ChildJvm.run("", List.of(), ChildJvm.applicationClassPath(),
                "org.example.app.PinnedItems", args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(args.stream().map(c -> c + " allowed " + c).toList(), r.lines("cpu "), r::toString);
        assertEquals("", r.err(), r::toString);
    }
}
