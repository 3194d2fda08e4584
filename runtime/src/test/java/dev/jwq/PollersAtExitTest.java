package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A process whose virtual workers blocked on a socket exits without HotSpot's wait for threads
 * in native code (up to 300 ms, {@code -XX:UserThreadWaitAttemptsAtExit}), which the JDK's
 * platform pollers, in {@code epoll_wait} for good, would cost it. Measured from the child's
 * last line to its end: the wait is a deadline HotSpot sleeps to, so a process that pays it
 * takes 300 ms or more, one that does not a few milliseconds; a run is repeated (up to three
 * times) only if it was slow, so load on the machine cannot fail the test, while a process that
 * waits fails every run.
 */
class PollersAtExitTest {
    private static final String OPEN = "java.base/java.lang=ALL-UNNAMED";
    /** Well below HotSpot's 300 ms, well above an exit that does not wait (8-20 ms here). */
    private static final long QUICK_MILLIS = 200;
    /** HotSpot's wait: 30 steps of 10 ms, to a deadline. */
    private static final long WAIT_MILLIS = 290;

    /** Milliseconds from the child's "end" line to its exit as this JVM saw it (the fastest of {@code tries}). */
    private static long exitMillis(int tries, String how, String... jvmArgs) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < tries && best >= QUICK_MILLIS; i++) {
            ChildJvm.Result r = ChildJvm.run(PollersAtExitChild.class, concat(jvmArgs, how));
            long seen = System.currentTimeMillis();
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("read 42"), r.output());
            assertTrue(r.output().contains("poller true"), "the JDK's pollers ran: " + r.output());
            long end = r.output().lines().filter(l -> l.startsWith("end ")).mapToLong(l -> Long.parseLong(l.substring(4)))
                    .findFirst().orElseThrow(() -> new AssertionError(r.output()));
            best = Math.min(best, seen - end);
        }
        return best;
    }

    /** {@code jvmArgs} and the property that tells the child {@code how}. */
    private static String[] concat(String[] jvmArgs, String how) {
        String[] all = Arrays.copyOf(jvmArgs, jvmArgs.length + 1);
        all[jvmArgs.length] = "-D" + PollersAtExitChild.HOW + "=" + how;
        return all;
    }

    @Test
    void aProcessWhoseWorkersReadASocketExitsWithoutWaitingForThePollers() throws Exception {
        long ms = exitMillis(3, "item", "--enable-native-access=ALL-UNNAMED", "--add-opens", OPEN);
        assertTrue(ms < QUICK_MILLIS, "exit took " + ms + " ms after the last line");
    }

    @Test
    void soDoesOneThatCallsExitFromAWorker() throws Exception {
        long ms = exitMillis(3, "exit", "--enable-native-access=ALL-UNNAMED", "--add-opens", OPEN);
        assertTrue(ms < QUICK_MILLIS, "exit took " + ms + " ms after the last line");
    }

    @Test
    void withoutTheHookThePollersCostTheWait() throws Exception {
        // Platform workers: jwq registers nothing; a JDK virtual thread starts mode 1's pollers.
        long ms = exitMillis(1, "vthread", "--enable-native-access=ALL-UNNAMED", "-Djwq.workers=platform",
                "-Djdk.pollerMode=1");
        assertTrue(ms >= WAIT_MILLIS, "exit took " + ms + " ms: the measurement cannot see the wait");
    }

    @Test
    void registeringNeverThrows() {
        // Refused (java.lang not open to this JVM's tests) or failed (slot taken, no such slot): false.
        assertFalse(VirtualThreadAccess.addSystemShutdownHook(1, () -> {}), "slot 1 holds the JDK's application hooks");
        assertFalse(VirtualThreadAccess.addSystemShutdownHook(10, () -> {}), "no such slot");
    }
}
