package dev.jwq.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for {@link TimerWheel}. Waiting for something to happen always uses a latch with a
 * generous timeout; timeouts only bound "did not happen" checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerWheelTest {

    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    /** Generous bound for "should happen": only hit if the wheel is broken. */
    private static final long AWAIT_SECONDS = 10;

    private final List<TimerWheel> wheels = new ArrayList<>();

    @AfterEach
    void shutdownWheels() {
        wheels.forEach(TimerWheel::shutdown);
    }

    private TimerWheel wheel(long tickNanos) {
        TimerWheel w = new TimerWheel("jwq/timer-test", tickNanos);
        wheels.add(w);
        return w;
    }

    private TimerWheel wheel(long tickNanos, int slotBits, int levels) {
        TimerWheel w = new TimerWheel("jwq/timer-test", tickNanos, slotBits, levels);
        wheels.add(w);
        return w;
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
            fail(what + ": still waiting for " + latch.getCount() + " after " + AWAIT_SECONDS + " s");
        }
    }

    /**
     * Waits until every tick up to now + delay has been processed on {@code w}: a timer armed
     * after everything else fires after everything armed earlier with a deadline before its own.
     */
    private static void barrier(TimerWheel w, long delayNanos) throws InterruptedException {
        Recording b = new Recording();
        assertTrue(w.arm(b, delayNanos));
        await(b.fired, "barrier timer");
    }

    /** Records when and how often it fired. */
    static class Recording extends Timer {
        final CountDownLatch fired = new CountDownLatch(1);
        final AtomicInteger expirations = new AtomicInteger();
        volatile long firedAt;
        volatile boolean armedDuringExpire;
        volatile Thread firedOn;
        /** System.nanoTime() just before arm() was called (arm's deadline is >= this + delay). */
        long armedAt;
        long delay;

        @Override
        protected void expire() {
            firedAt = System.nanoTime();
            armedDuringExpire = isArmed();
            firedOn = Thread.currentThread();
            expirations.incrementAndGet();
            fired.countDown();
        }

        void armOn(TimerWheel w, long delayNanos) {
            delay = delayNanos;
            armedAt = System.nanoTime();
            assertTrue(w.arm(this, delayNanos));
        }

        /** Nanoseconds past the earliest permissible firing time; negative means early. */
        long lateness() {
            return firedAt - (armedAt + Math.max(delay, 0));
        }
    }

    private static void assertFiredOnTime(Recording r, String what, long maxLatenessNanos) {
        assertEquals(1, r.expirations.get(), what + ": expirations");
        // Two views of "not early": the caller's (nanoTime before arm + delay) and the wheel's
        // own recorded deadline, which is the stricter of the two.
        assertTrue(r.lateness() >= 0, what + ": fired " + -r.lateness() + " ns early");
        assertTrue(r.firedAt - r.deadline >= 0,
                what + ": fired " + (r.deadline - r.firedAt) + " ns before its deadline");
        assertTrue(r.lateness() < maxLatenessNanos,
                what + ": fired " + r.lateness() / 1000 + " us late");
        assertFalse(r.armedDuringExpire, what + ": isArmed() inside expire()");
        assertFalse(r.isArmed(), what + ": isArmed() after expiry");
    }

    // ------------------------------------------------------------------ basic firing

    @Test
    void firesOnceAndNotBeforeDeadline() throws Exception {
        TimerWheel ms = wheel(MS);                       // default geometry, 1 ms tick
        TimerWheel fine = wheel(100 * US);               // level 0 = 6.4 ms, level 1 = 409.6 ms
        TimerWheel tiny = wheel(MS, 2, 2);               // 4 slots x 2 levels: overflow beyond 16 ms

        List<Recording> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        record Case(TimerWheel w, String name, long delay) {}
        List<Case> cases = List.of(
                new Case(ms, "0 ms", 0),
                new Case(ms, "negative", -5 * MS),
                new Case(ms, "1 ms", MS),
                new Case(ms, "50 ms (level 0)", 50 * MS),
                new Case(ms, "300 ms (level 1)", 300 * MS),
                new Case(fine, "fine 3 ms (level 0)", 3 * MS),
                new Case(fine, "fine 30 ms (level 1)", 30 * MS),
                new Case(fine, "fine 500 ms (level 2)", 500 * MS),
                new Case(fine, "fine 900 ms (level 2)", 900 * MS),
                new Case(tiny, "tiny 10 ms (level 1)", 10 * MS),
                new Case(tiny, "tiny 120 ms (overflow)", 120 * MS));
        for (Case c : cases) {
            Recording r = new Recording();
            r.armOn(c.w(), c.delay());
            assertTrue(r.isArmed());
            all.add(r);
            names.add(c.name());
        }
        for (int i = 0; i < all.size(); i++) {
            await(all.get(i).fired, names.get(i));
        }
        // Anything that would fire a second time would do so when its slot next comes up;
        // a barrier a few ticks on bounds that check.
        for (TimerWheel w : List.of(ms, fine, tiny)) {
            barrier(w, 5 * MS);
        }
        for (int i = 0; i < all.size(); i++) {
            // Generous: a loaded 2-core machine can delay a wakeup by hundreds of ms (seen: 300 ms
            // with parallel builds); "never early" is the guarantee, precision is tested below.
            assertFiredOnTime(all.get(i), names.get(i), 2000 * MS);
            assertTrue(all.get(i).firedOn.isDaemon(), "wheel thread is a daemon");
        }
        for (TimerWheel w : List.of(ms, fine, tiny)) {
            assertEquals(0, w.armedCount());
        }
    }

    @Test
    void cascadingKeepsTickPrecision() throws Exception {
        // 100 us tick: delays up to 900 ms start at levels 0, 1 and 2 and must cascade down to
        // level 0 to fire near their deadline rather than at a coarse slot boundary (which
        // at level 2 is 409.6 ms wide).
        TimerWheel w = wheel(100 * US);
        SplittableRandom rnd = new SplittableRandom(7);
        Recording[] rs = new Recording[64];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = new Recording();
            rs[i].armOn(w, rnd.nextLong(MS, 900 * MS));
        }
        long[] late = new long[rs.length];
        for (int i = 0; i < rs.length; i++) {
            await(rs[i].fired, "timer " + i);
            late[i] = rs[i].lateness();
            assertTrue(late[i] >= 0, "timer " + i + " fired early by " + -late[i] + " ns");
            assertTrue(rs[i].firedAt - rs[i].deadline >= 0, "timer " + i + " before deadline");
        }
        Arrays.sort(late);
        long median = late[late.length / 2];
        assertTrue(median < 3 * MS, "median lateness " + median / 1000 + " us, want ~1 tick (100 us)");
    }

    // ------------------------------------------------------------------ cancel, arm, rearm

    @Test
    void cancelBeforeExpiryPreventsIt() throws Exception {
        TimerWheel w = wheel(MS);
        Recording r = new Recording();
        r.armOn(w, 30 * MS);
        Recording far = new Recording();
        far.armOn(w, 500 * MS);                      // level 1, cascaded later
        assertEquals(2, w.armedCount());
        assertTrue(w.cancel(r));
        assertTrue(w.cancel(far));
        assertFalse(r.isArmed());
        assertFalse(w.cancel(r), "second cancel");
        assertEquals(0, w.armedCount());
        barrier(w, 60 * MS);                         // past r's deadline
        assertEquals(0, r.expirations.get(), "cancelled timer fired");
        assertEquals(0, far.expirations.get(), "cancelled timer fired");
        // A cancelled timer can be armed again and then fires normally.
        r.armOn(w, 2 * MS);
        await(r.fired, "re-armed after cancel");
        assertFiredOnTime(r, "re-armed after cancel", 1000 * MS); // generous on a loaded machine; "never early" is the guarantee
    }

    @Test
    void cancelAfterExpiryReturnsFalse() throws Exception {
        TimerWheel w = wheel(MS);
        Recording never = new Recording();
        assertFalse(w.cancel(never), "never armed");
        Recording r = new Recording();
        r.armOn(w, MS);
        await(r.fired, "timer");
        assertFalse(w.cancel(r));
        assertEquals(1, r.expirations.get());
        assertEquals(0, w.armedCount());
    }

    @Test
    void armOnArmedTimerReturnsFalseAndChangesNothing() throws Exception {
        TimerWheel w = wheel(MS);
        Recording r = new Recording();
        r.armOn(w, 40 * MS);
        long deadline = r.deadline;
        assertFalse(w.arm(r, 0));
        assertFalse(w.arm(r, 10 * MS));
        assertEquals(deadline, r.deadline);
        assertEquals(1, w.armedCount());
        await(r.fired, "timer");
        barrier(w, 5 * MS);
        assertFiredOnTime(r, "timer", 1000 * MS); // generous on a loaded machine; "never early" is the guarantee    // i.e. not moved to 0 or 10 ms
    }

    @Test
    void rearmMovesTheTimer() throws Exception {
        TimerWheel w = wheel(MS);

        Recording earlier = new Recording();
        earlier.armOn(w, 10_000 * MS);               // level 2
        earlier.delay = 20 * MS;
        earlier.armedAt = System.nanoTime();
        assertTrue(w.rearm(earlier, 20 * MS), "rearm of an armed timer");
        assertEquals(1, w.armedCount());

        Recording later = new Recording();
        later.armOn(w, 5 * MS);
        later.delay = 120 * MS;
        later.armedAt = System.nanoTime();
        assertTrue(w.rearm(later, 120 * MS));

        Recording fresh = new Recording();
        fresh.delay = 10 * MS;
        fresh.armedAt = System.nanoTime();
        assertFalse(w.rearm(fresh, 10 * MS), "rearm of an unarmed timer");
        assertTrue(fresh.isArmed());

        await(earlier.fired, "moved earlier");
        await(fresh.fired, "rearmed fresh");
        await(later.fired, "moved later");
        barrier(w, 5 * MS);
        assertFiredOnTime(earlier, "moved earlier", 1000 * MS); // generous on a loaded machine; "never early" is the guarantee
        assertFiredOnTime(later, "moved later", 1000 * MS); // generous on a loaded machine; "never early" is the guarantee
        assertFiredOnTime(fresh, "rearmed fresh", 1000 * MS); // generous on a loaded machine; "never early" is the guarantee
        assertEquals(0, w.armedCount());
    }

    @Test
    void timerIsBoundToItsWheel() {
        TimerWheel a = wheel(MS);
        TimerWheel b = wheel(MS);
        Recording r = new Recording();
        assertTrue(a.arm(r, 10_000 * MS));
        assertThrows(IllegalArgumentException.class, () -> b.arm(r, MS));
        assertThrows(IllegalArgumentException.class, () -> b.rearm(r, MS));
        assertThrows(IllegalArgumentException.class, () -> b.cancel(r));
        assertTrue(a.cancel(r));
        assertEquals(0, b.armedCount());
    }

    @Test
    void hugeDelaysAreClampedAndCancellable() {
        TimerWheel w = wheel(MS);
        Recording r = new Recording();
        assertTrue(w.arm(r, Long.MAX_VALUE));
        assertTrue(r.deadline - System.nanoTime() > 0, "deadline must not wrap into the past");
        assertTrue(w.rearm(r, Long.MAX_VALUE / 2));
        assertTrue(w.cancel(r));
        assertEquals(0, w.armedCount());
    }

    // ------------------------------------------------------------------ volume

    @Test
    void manyTimersFireExactlyOnceNoneEarly() throws Exception {
        TimerWheel w = wheel(MS);
        int n = 100_000;
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger early = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicLong maxLate = new AtomicLong();
        final class Counting extends Timer {
            long notBefore;
            int fired; // only the wheel thread writes it; read after the barrier

            @Override
            protected void expire() {
                long now = System.nanoTime();
                if (now - notBefore < 0 || now - deadline < 0) early.incrementAndGet();
                if (++fired > 1) duplicates.incrementAndGet();
                maxLate.accumulateAndGet(now - notBefore, Math::max);
                done.countDown();
            }
        }
        Counting[] ts = new Counting[n];
        for (int i = 0; i < n; i++) ts[i] = new Counting();
        // Two arming threads, so arms also contend with each other and with expiry.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int part = 0; part < 2; part++) {
                int from = part * n / 2, to = (part + 1) * n / 2;
                long seed = part;
                fs.add(pool.submit(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    for (int i = from; i < to; i++) {
                        long d = rnd.nextLong(200 * MS + 1);
                        ts[i].notBefore = System.nanoTime() + d;
                        assertTrue(w.arm(ts[i], d));
                    }
                }));
            }
            for (Future<?> f : fs) f.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        await(done, "100k timers");
        barrier(w, 5 * MS);
        assertEquals(0, early.get(), "timers fired early");
        assertEquals(0, duplicates.get(), "timers fired twice");
        for (int i = 0; i < n; i++) {
            if (ts[i].fired != 1) fail("timer " + i + " fired " + ts[i].fired + " times");
        }
        assertEquals(0, w.armedCount());
        // Not a precision assertion (a 100k burst on 2 cores queues up), just a sanity bound.
        assertTrue(maxLate.get() < 2_000 * MS, "max lateness " + maxLate.get() / MS + " ms");
    }

    @Test
    void tinyGeometriesCascadeAndOverflowCorrectly() throws Exception {
        // Few slots and levels put most timers on the overflow list and make every entry
        // cascade several times, exercising exactly the paths the default geometry only
        // reaches after seconds or hours.
        int[][] geometries = {{1, 3}, {2, 2}, {3, 1}, {2, 4}, {6, 1}};
        for (int[] g : geometries) {
            TimerWheel w = wheel(200 * US, g[0], g[1]);
            String what = "geometry " + g[0] + "x" + g[1];
            int n = 5_000;
            Recording[] rs = new Recording[n];
            SplittableRandom rnd = new SplittableRandom(g[0] * 31 + g[1]);
            for (int i = 0; i < n; i++) {
                rs[i] = new Recording();
                rs[i].armOn(w, rnd.nextLong(100 * MS));
            }
            for (int i = 0; i < n; i++) await(rs[i].fired, what + " timer " + i);
            barrier(w, MS);
            for (int i = 0; i < n; i++) {
                assertEquals(1, rs[i].expirations.get(), what + " timer " + i + " expirations");
                assertTrue(rs[i].lateness() >= 0, what + " timer " + i + " early by " + -rs[i].lateness());
                assertTrue(rs[i].firedAt - rs[i].deadline >= 0, what + " timer " + i + " before deadline");
            }
            assertEquals(0, w.armedCount(), what);
        }
    }

    // ------------------------------------------------------------------ races

    @Test
    void cancelRacingExpiryHasExactlyOneWinner() throws Exception {
        TimerWheel w = wheel(MS);
        int rounds = 150, perRound = 100;
        long window = 3 * MS;                        // cancels spread over ~3 ticks
        final class Raced extends Timer {
            final AtomicInteger expired = new AtomicInteger();
            final AtomicInteger cancelled = new AtomicInteger();
            CountDownLatch resolved;

            @Override
            protected void expire() {
                expired.incrementAndGet();
                resolved.countDown();
            }
        }
        List<Raced> all = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(11);
        ExecutorService cancellers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch resolved = new CountDownLatch(perRound);
                Raced[] ts = new Raced[perRound];
                for (int i = 0; i < perRound; i++) {
                    ts[i] = new Raced();
                    ts[i].resolved = resolved;
                    all.add(ts[i]);
                }
                long start = System.nanoTime();
                for (Raced t : ts) assertTrue(w.arm(t, rnd.nextLong(2 * MS)));
                // Both threads try to cancel every timer (in opposite orders), spreading their
                // attempts over the window so that some land before and some after expiry.
                List<Future<?>> fs = new ArrayList<>();
                for (int dir = 0; dir < 2; dir++) {
                    boolean reverse = dir == 1;
                    fs.add(cancellers.submit(() -> {
                        for (int k = 0; k < perRound; k++) {
                            Raced t = ts[reverse ? perRound - 1 - k : k];
                            long at = start + window * k / perRound;
                            while (System.nanoTime() - at < 0) Thread.onSpinWait();
                            if (w.cancel(t)) {
                                t.cancelled.incrementAndGet();
                                t.resolved.countDown();
                            }
                        }
                    }));
                }
                for (Future<?> f : fs) f.get(AWAIT_SECONDS, TimeUnit.SECONDS);
                await(resolved, "round " + round);
            }
        } finally {
            cancellers.shutdown();
        }
        barrier(w, 5 * MS);                          // a wrongly surviving entry fires by now
        int cancelWins = 0, expiryWins = 0;
        for (int i = 0; i < all.size(); i++) {
            Raced t = all.get(i);
            int e = t.expired.get(), c = t.cancelled.get();
            if (e + c != 1) fail("timer " + i + ": expired " + e + " times, cancel returned true " + c + " times");
            cancelWins += c;
            expiryWins += e;
        }
        assertEquals(0, w.armedCount());
        // Otherwise the test did not race anything.
        assertTrue(cancelWins > 0 && expiryWins > 0, "cancel won " + cancelWins + ", expiry won " + expiryWins);
    }

    // ------------------------------------------------------------------ callbacks

    @Test
    void expireMayRearmItselfPeriodically() throws Exception {
        TimerWheel w = wheel(MS);
        int periods = 10;
        long period = 3 * MS;
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger problems = new AtomicInteger();
        final class Periodic extends Timer {
            final long[] firedAt = new long[periods];
            int n;

            @Override
            protected void expire() {
                firedAt[n++] = System.nanoTime();
                if (isArmed()) problems.incrementAndGet();
                if (n < periods) {
                    if (!w.arm(this, period)) problems.incrementAndGet();
                } else {
                    done.countDown();
                }
            }
        }
        Periodic p = new Periodic();
        assertTrue(w.arm(p, period));
        await(done, "periodic timer");
        barrier(w, 2 * period);
        assertEquals(periods, p.n, "no extra firing after the last period");
        assertEquals(0, problems.get(), "re-arm from expire() failed or isArmed() was true");
        for (int i = 1; i < periods; i++) {
            long gap = p.firedAt[i] - p.firedAt[i - 1];
            assertTrue(gap >= period, "period " + i + " only " + gap + " ns");
        }
        assertFalse(p.isArmed());
        assertEquals(0, w.armedCount());
    }

    @Test
    void throwingExpireIsReportedAndTheWheelCarriesOn() throws Exception {
        TimerWheel w = wheel(MS);
        Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> reportedOn = new ConcurrentLinkedQueue<>();
        CountDownLatch twoReports = new CountDownLatch(2);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            reported.add(e);
            reportedOn.add(t.getName());
            twoReports.countDown();
        });
        try {
            RuntimeException boom = new IllegalStateException("boom");
            AssertionError error = new AssertionError("error");
            final class Thrower extends Timer {
                final Throwable toThrow;

                Thrower(Throwable toThrow) {
                    this.toThrow = toThrow;
                }

                @Override
                protected void expire() {
                    if (toThrow instanceof RuntimeException re) throw re;
                    throw (Error) toThrow;
                }
            }
            assertTrue(w.arm(new Thrower(boom), MS));
            assertTrue(w.arm(new Thrower(error), 2 * MS));
            Recording after = new Recording();
            after.armOn(w, 10 * MS);
            await(twoReports, "exception reports");
            await(after.fired, "timer after the throwing ones");
            assertTrue(reported.contains(boom) && reported.contains(error), "reported " + reported);
            assertTrue(reportedOn.stream().allMatch("jwq/timer-test"::equals), "reported on " + reportedOn);
            // And still later: the thread survived for good, not just for one more batch.
            Recording later = new Recording();
            later.armOn(w, 5 * MS);
            await(later.fired, "timer armed after the exceptions");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(saved);
        }
    }

    // ------------------------------------------------------------------ the thread

    @Test
    void theWheelLoopGoesOnAcrossItsActivations() throws Exception {
        // The loop returns every PASSES_PER_ACTIVATION passes and is called again: a chain of
        // timers, each armed by the last one's expiry (one pass each), runs on through three
        // activations. A loop that ended at an activation's end would leave the chain stopped.
        TimerWheel w = wheel(MS);
        int links = 3 * TimerWheel.PASSES_PER_ACTIVATION;
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger fired = new AtomicInteger();
        long passesBefore = w.wakeupCount();
        class Link extends Timer {
            @Override
            protected void expire() {
                if (fired.incrementAndGet() < links) {
                    assertTrue(w.arm(new Link(), 0));
                } else {
                    done.countDown();
                }
            }
        }
        assertTrue(w.arm(new Link(), 0));
        await(done, "the chain's last timer");
        assertEquals(links, fired.get());
        assertTrue(w.wakeupCount() - passesBefore >= links, "fewer passes than timers: " + (w.wakeupCount() - passesBefore));
    }

    @Test
    void wheelThreadParksInsteadOfSpinning() throws Exception {
        TimerWheel w = wheel(MS);
        // A callback that leaves the interrupt flag set must not turn park() into a no-op.
        Recording interrupter = new Recording() {
            @Override
            protected void expire() {
                Thread.currentThread().interrupt();
                super.expire();
            }
        };
        interrupter.armOn(w, MS);
        await(interrupter.fired, "interrupting timer");

        // One timer 300 ms out: the thread should wake a handful of times (once per cascade
        // step plus the firing), not once per tick (300) and certainly not continuously.
        long before = w.wakeupCount();
        Recording r = new Recording();
        r.armOn(w, 300 * MS);
        await(r.fired, "timer");
        long wakeups = w.wakeupCount() - before;
        assertTrue(wakeups <= 10, wakeups + " wakeups for one 300 ms timer");

        // Empty wheel: parked indefinitely, so (bounded check) no wakeups at all for a while.
        before = w.wakeupCount();
        new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
        assertTrue(w.wakeupCount() - before <= 1, (w.wakeupCount() - before) + " wakeups while empty");

        Thread th = w.thread();
        assertNotNull(th);
        assertTrue(th.isAlive() && th.isDaemon());
        assertEquals(Thread.State.WAITING, th.getState(), "empty wheel parks without a timeout");
    }

    @Test
    void sharedWheelIsOneDaemonThread() throws Exception {
        TimerWheel s = TimerWheel.shared();
        assertSame(s, TimerWheel.shared());
        Recording r = new Recording();
        r.armOn(s, MS);
        await(r.fired, "shared wheel timer");
        assertEquals("jwq/timer", r.firedOn.getName());
        assertTrue(r.firedOn.isDaemon());
        assertSame(r.firedOn, s.thread());
        assertEquals(MS, s.tickNanos());
    }
}
