package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jwq --version}, {@code jwq help}, and every command's {@code --help}. */
class HelpAndVersionTest {
    static final List<String> COMMANDS = List.of("stat", "report", "top", "dump", "jfc");

    @Test
    void versionIsTheBuildsVersion() {
        for (String flag : List.of("--version", "-V", "version")) {
            ToolRun r = ToolRun.of(flag);
            assertEquals(0, r.status(), r.err());
            assertEquals("jwq " + System.getProperty("jwq.expectedVersion") + "\n", r.out());
        }
    }

    @Test
    void everyCommandHasItsHelpAndTheOverviewListsThemAll() {
        String overview = ToolRun.of("help").out();
        for (String c : COMMANDS) {
            for (String[] args : List.of(new String[] {c, "--help"}, new String[] {c, "-h"}, new String[] {"help", c})) {
                ToolRun r = ToolRun.of(args);
                assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
                assertTrue(r.out().startsWith("usage: jwq " + c), r.out());
                assertTrue(r.out().lines().count() >= 3, "a usage line and a description: " + r.out());
                assertEquals("", r.err());
            }
            assertTrue(overview.contains("\n  " + c), c + " missing from\n" + overview);
        }
        assertTrue(overview.contains("--version"), overview);
    }

    @Test
    void helpBeatsOtherArgumentsAndAnUnknownCommandsHelpIsAnError() {
        ToolRun r = ToolRun.of("top", "not-a-pid", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("usage: jwq top PID"), r.out());
        r = ToolRun.of("help", "stats");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().startsWith("jwq: unknown command 'stats'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
