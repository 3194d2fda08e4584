package dev.jwq.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/observability.md's command-line route, run as written from the repository root after
 * the build: JMC's {@code JfrRulesReport} and {@code JfrHtmlRulesReport} with the class path
 * {@code jmc-rules/target/jmc-core/*:jmc-rules/target/jwq-jmc-rules.jar}, on a recording in
 * which a pool stalled. Only {@code java} is this JVM's (the docs ask for a JDK 21+).
 */
class JfrRulesReportCommandIT {
    /** The class path of the docs, relative to the repository root (expanded by the JVM, not a shell). */
    static final String CLASS_PATH = "jmc-rules/target/jmc-core/*:jmc-rules/target/jwq-jmc-rules.jar";

    @TempDir
    Path dir;

    @Test
    void textReportWarnsAboutTheStall() throws Exception {
        Path rec = StallRecording.write(dir);
        String out = run("org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport", "-format", "text", "-min",
                "info", rec.toString());
        assertTrue(out.contains("Rule: Workqueue Stall\nSeverity: Warning\n"), out);
        assertTrue(out.contains("pool 6 (cpu 3)"), out);
    }

    @Test
    void htmlReportIsWritten() throws Exception {
        Path rec = StallRecording.write(dir);
        Path html = dir.resolve("rules.html");
        run("org.openjdk.jmc.flightrecorder.rules.report.html.JfrHtmlRulesReport", rec.toString(), html.toString());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("Workqueue Stall"), page.substring(0, Math.min(2000, page.length())));
    }

    /** {@code java -cp CLASS_PATH main args} in the repository root; its standard output. */
    private String run(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CLASS_PATH, main));
        cmd.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        Path outFile = dir.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).directory(Path.of(System.getProperty("jwq.repository")).toFile())
                .redirectError(err.toFile()).redirectOutput(outFile.toFile()).start();
        p.getOutputStream().close();
        // Output to files and a bounded wait: a read of the child's pipe would wait as long as the child.
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        String errText = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(finished, () -> "the report did not finish in 120 s:\n" + out + errText);
        assertEquals(0, p.exitValue(), out + errText);
        return out;
    }
}
