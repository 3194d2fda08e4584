package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The keeper thread that holds the JVM up while work is in flight ends once nothing has been
 * busy for a quiet window ({@link KeepAlive#QUIET_NANOS}): a trickle of short busy spells keeps
 * one keeper instead of starting a thread on the queueing path for each, and a program whose
 * work is done is not held up long at its exit.
 */
class KeepAliveTest {
    private static final long QUIET_MS = TimeUnit.NANOSECONDS.toMillis(KeepAlive.QUIET_NANOS);

    @Test
    void aTrickleOfInstantBusySpellsKeepsOneKeeper() {
        for (int attempt = 0; attempt < 10; attempt++) {
            assumeTrue(KeepAlive.busyCount() == 0, "another test's workqueue is busy: nothing to observe");
            spell();
            Thread first = KeepAlive.keeper();
            long started = KeepAlive.keepersStarted();
            // A busy spell of an instant every millisecond, for five quiet windows: nothing is
            // busy most of the time, but something becomes busy within every window.
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MS * 5);
            long last = System.nanoTime();
            long longestGap = 0;
            while (System.nanoTime() - end < 0) {
                spell();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                long now = System.nanoTime();
                longestGap = Math.max(longestGap, now - last);
                last = now;
            }
            if (longestGap > KeepAlive.QUIET_NANOS / 2) {
                continue; // this thread was held off for half a window: a keeper may rightly have ended
            }
            assertSame(first, KeepAlive.keeper(), "the keeper of the trickle's first spell is still the keeper");
            assertEquals(started, KeepAlive.keepersStarted(), "keepers started during the trickle");
            return;
        }
        abort("this thread was held off for half a quiet window in every attempt");
    }

    /**
     * The keeper ends a window or two after the last work: the median of five ends is under six
     * windows (the rule before, a whole 100 ms period without work, gave 100-200 ms), and every
     * one ends.
     */
    @Test
    void theKeeperEndsSoonAfterTheLastWork() throws InterruptedException {
        long[] ends = new long[5];
        for (int i = 0; i < ends.length; i++) {
            assumeTrue(KeepAlive.busyCount() == 0, "another test's workqueue is busy: the keeper rightly stays");
            spell();
            long spells = KeepAlive.becameBusyCount();
            long t0 = System.nanoTime();
            Thread keeper = KeepAlive.keeper();
            if (keeper != null) {
                keeper.join(TimeUnit.SECONDS.toMillis(10));
            }
            ends[i] = System.nanoTime() - t0;
            // Work of something else in this JVM (a leftover timer) keeps the keeper up, rightly.
            assumeTrue(KeepAlive.keeper() == null || KeepAlive.becameBusyCount() == spells,
                    "something else became busy meanwhile");
            assertNull(KeepAlive.keeper(), "a keeper ten seconds after the last work (quiet window " + QUIET_MS + " ms)");
        }
        Arrays.sort(ends);
        long median = TimeUnit.NANOSECONDS.toMillis(ends[ends.length / 2]);
        assertTrue(median < 6 * QUIET_MS, "the keeper ended a median " + median + " ms after the last work, window "
                + QUIET_MS + " ms");
    }

    /** Something busy for an instant. */
    private static void spell() {
        KeepAlive.acquire();
        KeepAlive.release();
    }
}
