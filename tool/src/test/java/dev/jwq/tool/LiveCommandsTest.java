package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code top} and {@code dump} attached to a child JVM whose workqueues ran a known number of
 * items ({@link LiveChild}), and their errors for PIDs that are no JVM, no process, or a JVM
 * without jwq.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveCommandsTest {
    @TempDir
    static Path dir;
    static AttachableChild child;

    @BeforeAll
    static void startChild() throws Exception {
        child = AttachableChild.start(dir, "jwq");
    }

    @AfterAll
    static void stopChild() throws Exception {
        if (child != null) {
            child.close();
            assertEquals(0, child.process.exitValue(), child.stderr());
        }
    }

    @Test
    void dumpPrintsWqDumpsSectionsAndTheSettings() throws Exception {
        ToolRun r = ToolRun.of("dump", child.pid);
        assertEquals(0, r.status(), r.err() + child.stderr());
        String out = r.out();
        for (String section : new String[] {"Affinity Scopes", "Worker Pools", "Workqueue CPU -> pool",
                "Workqueue -> rescuer", "Unbound workqueue -> max_active", "Settings"}) {
            assertTrue(out.contains(section + "\n"), section + " missing:\n" + out);
        }
        assertTrue(out.contains(LiveChild.SYSFS + " (percpu):"), out);
        assertTrue(out.contains(LiveChild.RECLAIM + " (unbound"), out);
        assertTrue(out.contains(LiveChild.RECLAIM + ": jwq/R-" + LiveChild.RECLAIM), out);
        String settings = out.substring(out.lastIndexOf("Settings\n========\n"));
        assertTrue(settings.contains("pin = "), settings);
        assertTrue(settings.lines().count() > 5, settings);
    }

    @Test
    void topPrintsCountTablesWithTheChildsCountsAndRatesFromTheSecondOn() throws Exception {
        ToolRun r = ToolRun.of("top", child.pid, "-i", "1", "-n", "2");
        assertEquals(0, r.status(), r.err() + child.stderr());
        List<String> tables = tables(r.out());
        assertEquals(2, tables.size(), r.out());
        for (int t = 0; t < 2; t++) {
            String table = tables.get(t);
            String rate = t == 0 ? "-" : "0.0"; // nothing runs in the child between the two tables
            // name total total/s infl CPUitsv CMW mayday rescued
            assertEquals(List.of(LiveChild.SYSFS, "" + LiveChild.SYSFS_ITEMS, rate, "0"),
                    row(table, LiveChild.SYSFS).subList(0, 4));
            assertEquals("-", row(table, LiveChild.SYSFS).get(6), "mayday without a rescuer");
            assertEquals(List.of(LiveChild.RECLAIM, "" + LiveChild.RECLAIM_ITEMS, rate, "0", "-", "-", "0", "0"),
                    row(table, LiveChild.RECLAIM));
            assertEquals(List.of(LiveChild.PLAIN, "" + LiveChild.PLAIN_ITEMS, rate, "0"),
                    row(table, LiveChild.PLAIN).subList(0, 4));
            assertEquals(List.of(LiveChild.BUSY, "1", rate, "1"), row(table, LiveChild.BUSY).subList(0, 4));
            // the pool running cli-busy's blocked item
            Matcher pools = Pattern.compile("pools: (\\d+), (\\d+) busy").matcher(table);
            assertTrue(pools.find(), table);
            assertTrue(Integer.parseInt(pools.group(2)) >= 1, table);
            assertTrue(Pattern.compile("(?m)^pool\\[\\d{3}] cpus .* workers=\\d+ idle=\\d+ running=\\d+ pending=\\d+$")
                    .matcher(table).find(), table);
        }
    }

    @Test
    void topWithIntervalZeroPrintsOneTableOfTheWorkqueuesThePatternsSelect() {
        ToolRun r = ToolRun.of("top", child.pid, "-i", "0", "recl", "^cli-pl");
        assertEquals(0, r.status(), r.err());
        assertEquals(1, tables(r.out()).size(), r.out());
        assertEquals(LiveChild.RECLAIM, row(r.out(), LiveChild.RECLAIM).get(0));
        assertEquals(LiveChild.PLAIN, row(r.out(), LiveChild.PLAIN).get(0));
        assertFalse(r.out().contains(LiveChild.SYSFS), r.out());
        assertFalse(r.out().contains(LiveChild.BUSY), r.out());
    }

    /**
     * As a person sees it: {@code jwq top} in its own JVM, once under a pseudo-terminal
     * ({@code script(1)} gives the command one), where each table must replace the last, and
     * once into a pipe, where the tables must follow each other as plain text.
     */
    @Test
    void topRedrawsInPlaceOnATerminalAndPrintsPlainTablesIntoAPipe() throws Exception {
        List<String> top = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "top", child.pid, "-i", "0.2", "-n", "3");
        String onTerminal = output(List.of("script", "-qfec", shellWords(top), "/dev/null"));
        assertEquals(3, count(onTerminal, TopCommand.HOME), onTerminal);
        assertEquals(3, count(onTerminal, TopCommand.ERASE_BELOW), onTerminal);
        assertEquals(3, count(onTerminal, "jwq top: PID " + child.pid), onTerminal);
        String firstFrame = onTerminal.substring(onTerminal.indexOf(TopCommand.HOME));
        assertTrue(firstFrame.startsWith(TopCommand.HOME + "jwq top: PID "), "the title is the first line: " + onTerminal);
        String piped = output(top);
        assertFalse(piped.contains("\u001b"), piped);
        assertEquals(3, tables(piped).size(), piped);
    }

    /** The command's standard output; it must exit 0 within a minute. */
    private static String output(List<String> command) throws Exception {
        BoundedRun r = BoundedRun.of(new ProcessBuilder(command), 60);
        assertTrue(r.exited() && r.status() == 0, () -> r.describe(command));
        return r.out();
    }

    /** {@code words} as one POSIX shell command line, each word single-quoted. */
    private static String shellWords(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void topStopsWithOneLineWhenItsTargetExits() throws Exception {
        try (AttachableChild leaving = AttachableChild.start(dir, "jwq")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // When the first table is complete, end the child and wait for it: top's next reading
            // then meets a JVM that is gone, whatever the machine's load.
            OutputStream endChildAfterFirstTable = new FilterOutputStream(bytes) {
                @Override
                public void flush() throws IOException {
                    super.flush();
                    if (bytes.toString(StandardCharsets.UTF_8).contains("pools: ") && leaving.process.isAlive()) {
                        try {
                            leaving.close();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(new String[] {"top", leaving.pid, "-i", "0.1", "-n", "50"},
                    new PrintStream(endChildAfterFirstTable, false, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(Main.EXIT_FAILURE, status, bytes.toString(StandardCharsets.UTF_8) + e);
            assertFalse(leaving.process.isAlive());
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(1, tables(out).size(), out);
            assertTrue(e.startsWith("jwq: lost the connection to PID " + leaving.pid + " (has it exited?)"), e);
            assertOneLine(e);
        }
    }

    @Test
    void aJvmWithoutJwqIsNamed() throws Exception {
        try (AttachableChild plain = AttachableChild.start(dir, "plain")) {
            ToolRun r = ToolRun.of("top", plain.pid, "-n", "1");
            assertEquals(Main.EXIT_FAILURE, r.status(), r.out());
            assertEquals("jwq: PID " + plain.pid + " has no jwq runtime (no dev.jwq:type=Runtime MBean after 5 s; has it"
                    + " created a workqueue?)\n", r.err());
        }
    }

    /**
     * A JVM whose workqueues ran before anything made its platform MBean server (jwq.jmx=auto
     * does not make it): the first attach starts the agent, which makes the server, and the
     * tool waits the second or so the runtime takes to export into it.
     */
    @Test
    void theFirstAttachWaitsForTheBeansTheAgentsServerBrings() throws Exception {
        try (AttachableChild fresh = AttachableChild.start(dir, "jwq")) {
            ToolRun r = ToolRun.of("top", fresh.pid, "-i", "0", LiveChild.PLAIN);
            assertEquals(0, r.status(), r.err() + fresh.stderr());
            assertEquals(List.of(LiveChild.PLAIN, "" + LiveChild.PLAIN_ITEMS), row(r.out(), LiveChild.PLAIN).subList(0, 2));
        }
    }

    @Test
    void aJvmThatExportsNothingIsNamedAtOnce() throws Exception {
        try (AttachableChild off = AttachableChild.start(dir, "jwq", "-Djwq.jmx=off")) {
            ToolRun r = ToolRun.of("dump", off.pid);
            assertEquals(Main.EXIT_FAILURE, r.status(), r.out());
            // named at once: waiting would end in the "has no jwq runtime" message
            assertEquals("jwq: PID " + off.pid + " runs with -Djwq.jmx=off: its jwq runtime exports no MBeans\n", r.err());
        }
    }

    @Test
    void aJvmThatRefusesAttachSaysWhy() throws Exception {
        try (AttachableChild closed = AttachableChild.start(dir, "plain", "-XX:+DisableAttachMechanism")) {
            ToolRun r = ToolRun.of("dump", closed.pid);
            assertEquals(Main.EXIT_FAILURE, r.status());
            assertTrue(r.err().startsWith("jwq: cannot attach to PID " + closed.pid), r.err());
            assertTrue(r.err().contains("-XX:+DisableAttachMechanism"), r.err());
            assertOneLine(r.err());
        }
    }

    @Test
    void aProcessThatIsNoJvmIsNamedAndLeftAlive() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "120").start();
        try {
            ToolRun r = ToolRun.of("dump", Long.toString(sleep.pid()));
            assertEquals(Main.EXIT_FAILURE, r.status());
            assertEquals("jwq: PID " + sleep.pid() + " (sleep) is not a JVM (it has no attach listener and does not"
                    + " handle SIGQUIT)\n", r.err());
            // The Attach API of JDK 23 and older would have sent it SIGQUIT, which ends a `sleep`.
            assertTrue(sleep.isAlive(), "the tool killed the process it was pointed at");
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void pidsThatAreNoNumberOrNoProcess() {
        ToolRun r = ToolRun.of("dump", "12ab");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertEquals("jwq: dump: PID must be a positive number, not '12ab'\n", r.err());
        r = ToolRun.of("top", "-5");
        assertEquals(Main.EXIT_USAGE, r.status());
        r = ToolRun.of("top", "0");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertEquals("jwq: top: PID must be a positive number, not '0'\n", r.err());
        r = ToolRun.of("dump", "2147483647"); // above any Linux pid_max
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertEquals("jwq: no such process: PID 2147483647\n", r.err());
    }

    @Test
    void badArgumentsAreRefusedBeforeAttaching() {
        for (String[] args : new String[][] {{"top"}, {"dump"}, {"dump", "1", "2"}, {"top", "1", "-i"},
                {"top", "1", "-i", "soon"}, {"top", "1", "-i", "-1"}, {"top", "1", "-n", "0"},
                {"top", "1", "-n", "x"}, {"top", "-x", "1"}, {"top", "1", "("}}) {
            ToolRun r = ToolRun.of(args);
            assertEquals(Main.EXIT_USAGE, r.status(), Arrays.toString(args) + ": " + r.err());
            assertTrue(r.err().startsWith("jwq: " + args[0] + ": "), r.err());
        }
    }

    private static void assertOneLine(String s) {
        assertEquals(1, s.lines().count(), s);
        assertFalse(s.contains("Exception"), s);
    }

    /** The tables of top's output, each from its title line. */
    static List<String> tables(String out) {
        List<String> tables = new ArrayList<>();
        for (String t : out.split("(?m)^(?=jwq top: PID )")) {
            if (t.startsWith("jwq top: PID ")) {
                tables.add(t);
            }
        }
        return tables;
    }

    /** The cells of the row that starts with {@code name}. */
    static List<String> row(String table, String name) {
        return table.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Arrays.asList(l.trim().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table));
    }
}
