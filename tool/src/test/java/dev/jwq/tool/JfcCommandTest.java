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

    /** The child: items of 0.1 ms, 0.5 ms and 5 ms latency (and almost no run time). */
    public static final class Workload {
        public static void main(String[] args) {
            for (long latency : new long[] {100_000, 500_000, 5_000_000, 5_000_000}) {
                WorkExecution e = Tracepoints.executeStart(0);
                Tracepoints.executeEnd(e, "child", Workload.class, 0, "jwq/0:0", latency, false, null);
            }
        }
    }

    @Test
    void savedFileWorksWithDefaultSettingsAndItsItemsOption() throws Exception {
        Path jfc = dir.resolve("jwq.jfc");
        Files.writeString(jfc, ToolRun.of("jfc").out());
        // As shipped: only the items slower than 1 ms from queueing to done.
        assertEquals(2, itemsRecorded(jfc, ""));
        // jwq-items=all: every item.
        assertEquals(4, itemsRecorded(jfc, ",jwq-items=all"));
    }

    private long itemsRecorded(Path jfc, String options) throws Exception {
        Path rec = Files.createTempFile(dir, "child", ".jfr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "-XX:StartFlightRecording:settings=default,settings=" + jfc + options + ",filename=" + rec,
                "-cp", System.getProperty("java.class.path"), Workload.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        assertEquals(0, p.exitValue(), output);
        ToolRun r = ToolRun.of("stat", "-j", rec.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode child = StatCommandTest.wq(new ObjectMapper().readTree(r.out()), "child");
        return child.get("items").asLong();
    }
}
