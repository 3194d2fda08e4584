package dev.jwq;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jwq.cpu.NativeCpu;
import dev.jwq.cpu.ThreadStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning in a JVM of its own: under {@code taskset}, without CAP_SYS_NICE, and without the
 * release-22 classes. Each runs {@link Child} and reads what it prints.
 */
class PinningChildJvmTest {
    private static final String NOT_PINNED = "jwq: workers are not pinned:";
    private static final String NO_PRIORITY = "jwq: cannot raise the priority of high-priority workers:";

    @TempDir
    Path tmp;

    @Test
    void underTasksetOneCpuIsUsableAndOnlyItsPoolsRun() throws Exception {
        assumeLinuxWith("taskset");
        assumeTrue(Cpus.count() >= 2, "needs two CPUs to leave one out");
        int cpu = Cpus.cpuAt(0);
        Result r = run(List.of("taskset", "-c", String.valueOf(cpu)), classPath());
        assertEquals("1", r.value("count"), r.toString());
        assertEquals(String.valueOf(cpu), r.value("usable"), r.toString());
        assertEquals("ok", r.value("native"), r.toString());
        assertEquals(Child.ITEMS * 2, r.items().size(), r.toString());
        for (String item : r.items()) {
            // "<thread> <allowed> <nice>": CPU 0's pools only, normal and high priority.
            String[] parts = item.split(" ");
            assertTrue(parts[0].startsWith("jwq/" + cpu + ":"), item);
            assertEquals(String.valueOf(cpu), parts[1], item);
        }
    }

    @Test
    void withoutCapSysNiceHighPriorityWorkersRunAtNormalPriorityWithOneWarning() throws Exception {
        assumeLinuxWith("setpriv");
        assumeTrue(NativeCpu.get().unavailableReason() == null, "FFM calls unavailable here");
        List<String> dropNice = List.of("setpriv", "--bounding-set=-sys_nice", "--inh-caps=-sys_nice");
        assumeTrue(exitCode(dropNice, "true") == 0, "setpriv cannot drop CAP_SYS_NICE here");
        Result r = run(dropNice, classPath());
        requireChildPlacedWorkers(r);
        assertEquals(Child.ITEMS * 2, r.items().size(), r.toString());
        // Refused: unchanged, the nice the child inherited from this JVM (19 under `nice -n 19 mvn`).
        String inherited = String.valueOf(ThreadStatus.nice());
        for (String item : r.items()) {
            assertEquals(inherited, item.split(" ")[2], "nice of " + item);
        }
        // Several high-priority workers (one per CPU at least), one warning, with errno.
        assertEquals(1, r.count(NO_PRIORITY), r.toString());
        assertTrue(r.stderr.contains("errno 13") || r.stderr.contains("errno 1)"), r.stderr);
        assertEquals(0, r.count(NOT_PINNED), r.toString());
    }

    @Test
    void withoutTheFfmClassesEverythingRunsUnpinnedWithOneWarningPerReason() throws Exception {
        assumeLinuxWith(null);
        String withoutFfm = Arrays.stream(classPath().split(File.pathSeparator))
                .filter(e -> !e.replace('\\', '/').endsWith("META-INF/versions/22"))
                .collect(Collectors.joining(File.pathSeparator));
        Result r = run(List.of(), withoutFfm);
        assertTrue(r.value("native").contains("META-INF/versions/22"), r.toString());
        assertEquals(String.valueOf(Cpus.count()), r.value("count"), r.toString());
        assertEquals(Child.ITEMS * 2, r.items().size(), r.toString());
        requireChildPlacedWorkers(r);
        assertEquals(1, r.count(NOT_PINNED), r.toString());
        assertEquals(1, r.count(NO_PRIORITY), r.toString());
        for (String item : r.items()) {
            assertEquals(ThreadStatus.processAllowedList(), item.split(" ")[1], item);
        }
    }

    /* --------------- The child JVM --------------- */

    /**
     * Prints {@code key=value} lines (count, usable, native, placed) and one {@code item} line
     * per work item ({@code item <thread> <Cpus_allowed_list> <nice>}): {@link #ITEMS} items
     * queued from several threads on a per-CPU workqueue, as many on a HIGHPRI one, plus one
     * item per CPU through queueOn.
     */
    public static final class Child {
        static final int ITEMS = 40;

        public static void main(String[] args) throws Exception {
            System.out.println("count=" + Cpus.count());
            System.out.println("usable=" + dev.jwq.cpu.CpuLists.format(Cpus.usableSet()));
            String reason = NativeCpu.get().unavailableReason();
            System.out.println("native=" + (reason == null ? "ok" : reason));
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            Runnable record = () -> seen.add(Thread.currentThread().getName() + " " + ThreadStatus.allowedList()
                    + " " + ThreadStatus.nice());
            try (Workqueue normal = Workqueue.builder("child").flags(WqFlag.PERCPU).build();
                    Workqueue high = Workqueue.builder("child-highpri").flags(WqFlag.PERCPU, WqFlag.HIGHPRI).build()) {
                int producers = 4;
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < producers; t++) {
                    Thread p = new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < ITEMS / producers; i++) {
                            normal.execute(record);
                            high.execute(record);
                        }
                    });
                    p.start();
                    threads.add(p);
                }
                go.countDown();
                for (Thread p : threads) {
                    p.join();
                }
                normal.flush();
                high.flush();
                // One high-priority item on every CPU: several high-priority workers start.
                CountDownLatch perCpu = new CountDownLatch(Cpus.count());
                for (int i = 0; i < Cpus.count(); i++) {
                    high.queueOn(Cpus.cpuAt(i), new Work(perCpu::countDown));
                }
                if (!perCpu.await(30, SECONDS)) {
                    System.out.println("error=per-CPU items did not run");
                }
            }
            seen.forEach(s -> System.out.println("item " + s));
            System.out.println("placed=" + WorkerPlacement.placed());
            System.exit(0);
        }
    }

    /* --------------- Running it --------------- */

    private record Result(int exit, String stdout, String stderr) {
        String value(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .findFirst().orElse("<no " + key + ">");
        }

        List<String> items() {
            return stdout.lines().filter(l -> l.startsWith("item ")).map(l -> l.substring(5)).toList();
        }

        long count(String text) {
            return stderr.lines().filter(l -> l.contains(text)).count();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Result run(List<String> prefix, String classPath) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(javaBin(), "-ea", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, Child.class.getName()));
        Path out = Files.createTempFile(tmp, "child", ".out");
        Path err = Files.createTempFile(tmp, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(120, SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 120 s: " + cmd + "\n" + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(!r.stdout().contains("error="), r.toString());
        return r;
    }

    private static void requireChildPlacedWorkers(Result r) {
        assertTrue(!r.value("placed").equals("0"), "Worker.run() must call WorkerPlacement.apply(this): " + r);
    }

    private static int exitCode(List<String> prefix, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, SECONDS) ? p.exitValue() : -1;
    }

    private static void assumeLinuxWith(String tool) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && ThreadStatus.available(), "Linux only");
        if (tool != null) {
            assumeTrue(exitCode(List.of("sh", "-c"), "command -v " + tool) == 0, tool + " is not installed");
        }
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** The test class path: surefire's own list when forked by it, else java.class.path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
