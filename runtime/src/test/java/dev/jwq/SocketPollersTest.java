package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * With virtual workers jwq asks the JDK for platform socket pollers ({@code jdk.pollerMode=1}),
 * unless the property is set already or the JDK is not one it knows. The child JVMs make a
 * virtual worker block on a socket, which is when the JDK starts its pollers, and list the
 * platform threads: the mode's pollers are named {@code Read-Poller}, the JDK 25 default's
 * {@code MasterPoller} (with sub-pollers on the JDK's ForkJoinPool).
 */
class SocketPollersTest {
    private static final String OPEN = "java.base/java.lang=ALL-UNNAMED";

    private static boolean hasThread(String output, String name) {
        return output.lines().anyMatch(l -> l.equals("thread " + name));
    }

    @Test
    void virtualWorkersGetPlatformPollers() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SocketPollersChild.class, "--enable-native-access=ALL-UNNAMED", "--add-opens", OPEN);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("read 42"), r.output());
        assertTrue(r.output().contains("virtual true"), r.output());
        assertTrue(r.output().contains("pollerMode 1"), r.output());
        assertTrue(hasThread(r.output(), "Read-Poller"), r.output());
        assertFalse(hasThread(r.output(), "MasterPoller"), r.output());
    }

    @Test
    void aModeTheUserChoseIsKept() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SocketPollersChild.class, "--enable-native-access=ALL-UNNAMED", "--add-opens", OPEN,
                "-Djdk.pollerMode=2");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("virtual true"), r.output());
        assertTrue(r.output().contains("pollerMode 2"), r.output());
        assertTrue(hasThread(r.output(), "MasterPoller"), r.output());
    }

    @Test
    void platformWorkersLeaveThePropertyAlone() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SocketPollersChild.class, "--enable-native-access=ALL-UNNAMED", "-Djwq.workers=platform");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("virtual false"), r.output());
        assertTrue(r.output().contains("pollerMode null"), r.output());
    }

    @Test
    void onlyAnUnsetPropertyOnAKnownJdkIsSet() {
        assertEquals("1", SocketPollers.modeToSet(null, 21));
        assertEquals("1", SocketPollers.modeToSet(null, 25));
        assertNull(SocketPollers.modeToSet("2", 25), "the user's choice");
        assertNull(SocketPollers.modeToSet("1", 25), "the user's choice");
        assertNull(SocketPollers.modeToSet(null, 26), "a JDK whose pollers jwq was not measured on");
        assertNull(SocketPollers.modeToSet(null, 20), "a JDK older than virtual threads");
    }
}
