package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jwq.jfr.Tracepoints;
import dev.jwq.jfr.WorkExecution;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jwq jfc} prints the runtime's settings file, and that file, saved, is what a user passes
 * to {@code -XX:StartFlightRecording} next to the JDK's default settings: checked end to end in a
 * child JVM, whose recording {@code stat} then reads.
 */
class JfcCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheSettingsFileOfTheRuntimeJar() throws Exception {
        ToolRun r = ToolRun.of("jfc");
        assertEquals(0, r.status());
        try (InputStream in = Tracepoints.class.getResourceAsStream("/dev/jwq/jwq.jfc")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), r.out());
        }
    }

    static final int CHILD_ITEMS = 8192;

    /** The child: CHILD_ITEMS items through the tracepoints, as the engine passes them. */
    public static final class Workload {
        public static void main(String[] args) {
            for (int i = 0; i < CHILD_ITEMS; i++) {
                WorkExecution e = Tracepoints.executeStart(Tracepoints.queueStamp());
                Tracepoints.executeEnd(e, "child", Workload.class, 0, "jwq/0:0", false, null);
            }
        }
    }

    @Test
    void savedFileWorksWithDefaultSettingsAndItsItemsOption() throws Exception {
        Path jfc = dir.resolve("jwq.jfc");
        Files.writeString(jfc, ToolRun.of("jfc").out());
        // As shipped: one item in 1024 (8 expected; 0 has probability 3e-4, so only the bound is checked).
        assertTrue(itemsRecorded(jfc, "") <= 64);
        // jwq-items=all: every item.
        assertEquals(CHILD_ITEMS, itemsRecorded(jfc, ",jwq-items=all"));
    }

    @Test
    void aloneItStillTellsStatWhichItemsWereRecorded() throws Exception {
        Path jfc = dir.resolve("jwq.jfc");
        Files.writeString(jfc, ToolRun.of("jfc").out());
        Path rec = record("settings=" + jfc);
        ToolRun r = ToolRun.of("stat", rec.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("; a uniform sample of one item in 1024 (sampleOneIn)"), r.out());
    }

    private long itemsRecorded(Path jfc, String options) throws Exception {
        Path rec = record("settings=default,settings=" + jfc + options);
        ToolRun r = ToolRun.of("stat", "-j", rec.toString());
        if (r.status() != 0 && r.err().contains("holds no jwq events")) {
            return 0;
        }
        assertEquals(0, r.status(), r.err());
        JsonNode child = StatCommandTest.find(new ObjectMapper().readTree(r.out()), "child").orElse(null);
        return child == null ? 0 : child.get("items").asLong();
    }

    /** Runs {@link Workload} in a child JVM recording with {@code settings}; returns the recording. */
    private Path record(String settings) throws Exception {
        Path rec = Files.createTempFile(dir, "child", ".jfr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:StartFlightRecording:" + settings + ",filename=" + rec,
                "-cp", System.getProperty("java.class.path"), Workload.class.getName()));
        BoundedRun r = BoundedRun.of(new ProcessBuilder(cmd), 60);
        assertTrue(r.exited() && r.status() == 0, () -> r.describe(Workload.class.getName()));
        return rec;
    }
}
