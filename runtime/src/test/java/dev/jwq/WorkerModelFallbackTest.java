package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code jwq.workers=auto} (the default) runs virtual workers on carriers when java.lang is
 * open to jwq, and platform workers otherwise, saying so in one log line; {@code virtual}
 * without access refuses to start, naming the property. Each in a fresh JVM: the model is
 * decided once per process.
 */
class WorkerModelFallbackTest {
    private static final String PLATFORM_LINE = "jwq: workers are platform threads";

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.contains(line)).count();
    }

    /** The child's lines that report an item (they start with "virtual "). */
    private static long items(String text, String answer) {
        return text.lines().filter(l -> l.equals("virtual " + answer)).count();
    }

    @Test
    void withoutAccessAutoRunsPlatformWorkersAndSaysSoOnce() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WorkerModelChild.class, "--enable-native-access=ALL-UNNAMED");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(2, items(r.output(), "false"), r.output());
        assertEquals(1, count(r.output(), PLATFORM_LINE), r.output());
    }

    @Test
    void withAccessAutoRunsVirtualWorkersQuietly() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WorkerModelChild.class, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(2, items(r.output(), "true"), r.output());
        assertEquals(0, count(r.output(), PLATFORM_LINE), r.output());
    }

    @Test
    void virtualWithoutAccessRefusesToStartNamingTheProperty() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WorkerModelChild.class, "--enable-native-access=ALL-UNNAMED", "-Djwq.workers=virtual");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("jwq.workers=virtual"), r.output());
        assertEquals(0, items(r.output(), "true") + items(r.output(), "false"), "no item ran: " + r.output());
    }
}
