package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person gets wrong on the command line gets one clear line and a non-zero status. */
class ErrorsTest {
    @TempDir
    Path dir;

    @Test
    void noArgumentsPrintsUsage() {
        ToolRun r = ToolRun.of();
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("usage: jwq COMMAND"), r.err());
    }

    @Test
    void unknownCommandIsNamed() {
        ToolRun r = ToolRun.of("stats", "x.jfr");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().startsWith("jwq: unknown command 'stats'"), r.err());
    }

    @Test
    void missingFile() {
        ToolRun r = ToolRun.of("stat", dir.resolve("nope.jfr").toString());
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertTrue(r.err().startsWith("jwq: no such file: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void notARecording() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jfr"), "hello, this is not JFR\n".repeat(10));
        ToolRun r = ToolRun.of("report", text.toString(), dir.resolve("out.html").toString());
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertTrue(r.err().contains("is not a JFR recording"), r.err());
        assertFalse(Files.exists(dir.resolve("out.html")));
    }

    @Test
    void recordingWithoutJwqEvents() throws Exception {
        Path file = dir.resolve("jdk-only.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.JVMInformation");
            // jwq's statistics are on by default in any recording once a runtime registered them
            // (another test did, in this JVM): this recording is of a JVM without jwq.
            for (jdk.jfr.EventType t : jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes()) {
                if (t.getName().startsWith("dev.jwq.")) {
                    r.disable(t.getName());
                }
            }
            r.start();
            r.stop();
            r.dump(file);
        }
        ToolRun r = ToolRun.of("stat", file.toString());
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertTrue(r.err().contains("holds no jwq events"), r.err());
        assertTrue(r.err().contains("settings=jwq.jfc"), r.err());
    }

    @Test
    void badArgumentsOfEachCommand() {
        assertEquals(Main.EXIT_USAGE, ToolRun.of("stat").status());
        assertEquals(Main.EXIT_USAGE, ToolRun.of("stat", "-x", "a.jfr").status());
        assertEquals(Main.EXIT_USAGE, ToolRun.of("stat", "a.jfr", "(").status());
        assertEquals(Main.EXIT_USAGE, ToolRun.of("report", "a.jfr").status());
        assertEquals(Main.EXIT_USAGE, ToolRun.of("jfc", "extra").status());
        assertEquals(Main.EXIT_OK, ToolRun.of("help").status());
    }

    @Test
    void aBadPatternIsNamed() {
        ToolRun r = ToolRun.of("stat", "a.jfr", "ok", "[a-");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertEquals("jwq: stat: bad pattern '[a-': Illegal character range at index 3\n", r.err());
    }

    @Test
    void reportToAMissingDirectorySaysWhyBeforeReadingTheRecording() throws Exception {
        Path notARecording = Files.writeString(dir.resolve("never-read.jfr"), "not read: the output is checked first");
        Path out = dir.resolve("missing").resolve("out.html");
        ToolRun r = ToolRun.of("report", notARecording.toString(), out.toString());
        assertEquals(Main.EXIT_FAILURE, r.status());
        assertEquals("jwq: cannot write " + out + ": no such directory " + out.getParent() + "\n", r.err());
        r = ToolRun.of("report", notARecording.toString(), dir.toString());
        assertEquals("jwq: cannot write " + dir + ": it is a directory\n", r.err());
    }

    @Test
    void noProgressLineWhereErrorsAreNoTerminalNorForSmallRecordings() throws Exception {
        Path rec = Scenario.record(dir);
        ToolRun piped = ToolRun.of("stat", rec.toString());
        assertEquals(0, piped.status(), piped.err());
        assertEquals("", piped.err());
        // even on a terminal, a recording this small reads without a progress line
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"stat", rec.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Terminal(true, true));
        assertEquals(0, status);
        assertTrue(Files.size(rec) < RecordingData.PROGRESS_MIN_BYTES);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void progressShowsOnlyWhenReadingTakesLongAndEndsWithItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress quiet = new Progress(err, "a.jfr", Long.MAX_VALUE);
        quiet.update(1024, 0.5);
        quiet.done(2048);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        Progress loud = new Progress(err, "a.jfr", 0);
        loud.update(1024, 0.42);
        loud.done(2048);
        assertEquals("\rreading a.jfr: 42% (1024 events)\rreading a.jfr: done (2048 events)\n",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
