package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The keeper thread that holds the JVM up while work is in flight lingers a whole period
 * without work before it ends: a trickle of short busy spells keeps one keeper instead of
 * starting a thread on the queueing path every linger.
 */
class KeepAliveTest {
    private static final long LINGER_MS = 100;

    @Test
    void aTrickleOfInstantBusySpellsKeepsOneKeeper() {
        for (int attempt = 0; attempt < 3; attempt++) {
            assumeTrue(KeepAlive.busyCount() == 0, "another test's workqueue is busy: nothing to observe");
            spell();
            Thread first = KeepAlive.keeper();
            long started = KeepAlive.keepersStarted();
            // A busy spell of an instant every millisecond, for three and a half lingers: the
            // keeper finds nothing busy whenever it wakes, but something became busy meanwhile.
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS * 7 / 2);
            long last = System.nanoTime();
            long longestGap = 0;
            while (System.nanoTime() - end < 0) {
                spell();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                long now = System.nanoTime();
                longestGap = Math.max(longestGap, now - last);
                last = now;
            }
            if (longestGap > TimeUnit.MILLISECONDS.toNanos(LINGER_MS / 2)) {
                continue; // this thread was held off for half a linger: a keeper may rightly have ended
            }
            assertSame(first, KeepAlive.keeper(), "the keeper of the trickle's first spell is still the keeper");
            assertEquals(started, KeepAlive.keepersStarted(), "keepers started during the trickle");
            return;
        }
        abort("this thread was held off for half a linger in every attempt");
    }

    @Test
    void theKeeperEndsAfterALingerWithoutWork() throws InterruptedException {
        assumeTrue(KeepAlive.busyCount() == 0, "another test's workqueue is busy: the keeper rightly stays");
        spell();
        long spells = KeepAlive.becameBusyCount();
        Thread keeper = KeepAlive.keeper();
        if (keeper != null) {
            keeper.join(TimeUnit.SECONDS.toMillis(10)); // it ends a linger or two after the spell
        }
        // Work of something else in this JVM (a leftover timer) keeps the keeper up, rightly.
        assumeTrue(KeepAlive.keeper() == null || KeepAlive.becameBusyCount() == spells,
                "something else became busy meanwhile");
        assertNull(KeepAlive.keeper(), "a keeper ten seconds after the last work (linger " + LINGER_MS + " ms)");
    }

    /** Something busy for an instant. */
    private static void spell() {
        KeepAlive.acquire();
        KeepAlive.release();
    }
}
