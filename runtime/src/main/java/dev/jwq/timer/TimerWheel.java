package dev.jwq.timer;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hierarchical timing wheel driving all delayed work of the process from one daemon thread.
 *
 * <p>{@link #arm}, {@link #cancel} and {@link #rearm} are O(1) and allocate nothing: entries are
 * {@link Timer} subclasses carrying their own links. Each successful arm ends in exactly one of
 * "a later {@code cancel} returned true" or "{@code expire()} ran", never both, never neither
 * (unless the process exits first: the wheel thread is a daemon). {@code expire()} never runs
 * before the deadline and normally runs within about one tick of it.
 */
public final class TimerWheel {

    /*
     * Implementation Overview
     *
     * Time is counted in ticks since 'origin' (System.nanoTime() at construction). An armed
     * timer's deadline is rounded UP to a tick, 'expires', and the wheel processes tick t only
     * once nanoTime() - origin >= t * tickNanos; together these are the whole "never early"
     * argument. 'base' is the next tick to process: ticks before it are done.
     *
     * The wheel has LEVELS levels of W = 2^B slots (shared(): B = 6, 4 levels, 1 ms tick). A
     * slot at level n spans 2^(nB) ticks, so level 0 covers the next 64 ms at 1 ms resolution,
     * level 1 the next 4.1 s at 64 ms resolution, level 2 4.4 min, level 3 4.7 h. A timer
     * whose distance idx = expires - base lies in [2^(nB), 2^((n+1)B)) is filed at level n,
     * slot (expires >> nB) & (W - 1); idx < W (including overdue, idx < 0) files it at level
     * 0. Timers beyond the top level go on one unsorted overflow list. This is the classic
     * Linux wheel (before 4.8) with equal-sized levels.
     *
     * Cascading. When the wheel reaches a tick t that is a multiple of 2^(nB), it empties
     * level n's slot (t >> nB) & (W - 1) and re-files every entry relative to base = t.
     * Because a level-n entry was filed with idx < 2^((n+1)B), its slot comes up no later than
     * tick (expires >> nB) << nB (a slot filed for one lap ahead, i.e. the one under the hand,
     * comes up a lap later, which is then exactly right), so at that cascade its new distance
     * is < 2^(nB): every cascade moves an entry down at least one level, and it reaches level
     * 0 no later than its expiry tick, where it fires. Precision is therefore ~1 tick at
     * every distance, the cost being that an entry is touched at most LEVELS times. Level n
     * is cascaded before level n+1 and both before level 0 fires, and an entry re-filed at
     * tick t never lands in a slot already emptied at t except level-0 slot t & (W - 1),
     * which fires right after.
     * The overflow list is rescanned each time the top level turns (every 2^((LEVELS-1)B)
     * ticks, 262 s for shared()); entries now within range move into the wheel. That is
     * O(overflow) every few minutes, only for timers hours away, so it is not worth more.
     *
     * No ticking through empty time. Each level keeps a 64-bit occupancy bitmap, so the
     * next tick at which anything happens (a non-empty level-0 slot comes up, a non-empty
     * higher slot is due to cascade, or the top level turns with a non-empty overflow) is a
     * few bit operations per level. The wheel thread jumps 'base' straight to that tick,
     * parks until its time (LockSupport.parkNanos) and parks without a timeout when the
     * wheel is empty. Arming computes when its slot will next be visited; only if that is
     * earlier than the tick the thread is parked for ('wakeTick') is the thread unparked,
     * so a steady stream of timers at growing deadlines costs no wakeups. While the thread
     * is running (wakeTick == AWAKE) nobody unparks it: it recomputes before parking.
     * LockSupport's permit closes the window between unlocking and parking.
     *
     * A wheel that went idle has a stale 'base'. Entries are filed relative to base, which
     * is still correct (the thread catches up through the events on waking) but would file
     * a short timer at a high level or even in overflow after hours of idleness. So an arm
     * on an empty wheel first moves base up to the current tick: with nothing filed, there
     * is nothing the move could skip.
     *
     * Locking. One ReentrantLock guards every link, slot head, bitmap and counter; arm and
     * cancel hold it for O(1). The wheel thread takes due entries off level 0 under the
     * lock, unlinking each and clearing its armed state, then releases the lock and calls
     * expire() on them. That unlink is the linearization point: a cancel that gets the lock
     * first removes the entry so it can never be collected, a cancel that comes later finds
     * it unarmed and returns false. Because the callback runs unlocked and after the
     * unlink, it may arm (the same or other) timers, which is how periodic work re-arms.
     * Collection stops after MAX_BATCH entries so a burst does not keep arming threads out
     * of the lock for long.
     *
     * Why not ScheduledThreadPoolExecutor or DelayQueue: their heap costs O(log n) per
     * operation and a node allocation per schedule, and a cancelled task stays in the heap
     * until its deadline unless removeOnCancel is set. Delayed work is usually cancelled or
     * modified before it fires (timeouts), so O(1) cancel matters more than exact ordering
     * among timers due in the same tick, which the wheel does not promise.
     *
     * Field legend (after kernel/workqueue.c):
     *   I: set in the constructor, then immutable.
     *   L: wheel lock ('lock').
     *   W: touched only by the wheel thread.
     *   V: volatile; written by the wheel thread, read anywhere.
     */

    /** Default geometry: 4 levels of 64 slots. */
    static final int DEFAULT_SLOT_BITS = 6;
    static final int DEFAULT_LEVELS = 4;
    /** shared() tick: 1 ms. */
    static final long DEFAULT_TICK_NANOS = 1_000_000L;

    /** Timer.slot value of an entry not on any list. */
    static final int UNLINKED = -1;

    /**
     * Longer delays are clamped (to ~73 years) so that deadline arithmetic cannot overflow; such
     * a timer simply lives on the overflow list.
     */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >>> 2;

    /** Maximum entries collected under one lock hold before they are fired. */
    private static final int MAX_BATCH = 1024;

    /** wakeTick while the wheel thread is running: it will look before it parks again. */
    private static final long AWAKE = Long.MIN_VALUE;
    /** wakeTick while parked with no deadline (wheel empty); also "no event". */
    private static final long NEVER = Long.MAX_VALUE;

    /** Got when first used: getting a logger initialises the logging backend, which start-up need not pay. */
    private static final class Log {
        static final Logger LOGGER = System.getLogger("dev.jwq.timer");
    }

    /** Holder idiom: the shared wheel (and, on first arm, its thread) exists only if used. */
    private static final class Shared {
        static final TimerWheel WHEEL = new TimerWheel("jwq/timer", DEFAULT_TICK_NANOS);
    }

    /** I */
    private final String threadName;
    /** I: nanoseconds per tick. */
    private final long tickNanos;
    /** I: B, log2 of slots per level. */
    private final int slotBits;
    /** I: number of levels. */
    private final int levels;
    /** I: W, slots per level. */
    private final int slotsPerLevel;
    /** I: W - 1. */
    private final int slotMask;
    /** I: index of the overflow list in heads/tails, after all level slots. */
    private final int overflowSlot;
    /** I: distances >= this (2^(levels * B) ticks) go to overflow. */
    private final long range;
    /** I: System.nanoTime() of tick 0. */
    private final long origin;
    /** I */
    final ReentrantLock lock = new ReentrantLock(); // package-private: CarrierArmTest holds it

    /** L: first entry of each slot list, level-major ([n * W + i]), then the overflow list. */
    private final Timer[] heads;
    /** L: last entry of each slot list (appending keeps roughly arm order within a tick). */
    private final Timer[] tails;
    /** L: per level, bit i set iff slot i is non-empty. Overflow is tested via heads. */
    private final long[] occupied;
    /** L: next tick to process; all earlier ticks have been processed. */
    private long base;
    /** L: number of armed entries. */
    private int count;
    /** L: tick the wheel thread is parked until, NEVER if parked indefinitely, AWAKE if running. */
    private long wakeTick = AWAKE;
    /** L: the wheel thread, null until the first arm. */
    private Thread thread;
    /** L: set by shutdown() (tests only); the thread exits and arming fails. */
    private boolean terminated;

    /** W: entries collected for firing; reused so the wheel thread does not allocate per tick. */
    private final ArrayList<Timer> batch = new ArrayList<>();
    /** V: number of wheel-loop iterations, so tests can prove the thread does not spin. */
    private volatile long wakeups;

    /**
     * Returns the one process-wide wheel (1 ms tick; its daemon thread "jwq/timer" starts on the
     * first arm).
     *
     * @return the shared wheel
     */
    public static TimerWheel shared() {
        return Shared.WHEEL;
    }

    /** A wheel with the default geometry; package-private for tests. */
    TimerWheel(String threadName, long tickNanos) {
        this(threadName, tickNanos, DEFAULT_SLOT_BITS, DEFAULT_LEVELS);
    }

    /**
     * A wheel with {@code 2^slotBits} slots per level; tests use tiny geometries so that the
     * upper levels and the overflow list are reached within milliseconds.
     */
    TimerWheel(String threadName, long tickNanos, int slotBits, int levels) {
        if (tickNanos <= 0) throw new IllegalArgumentException("tickNanos " + tickNanos);
        // <= 6 so a level's occupancy fits one long; <= 48 bits of range so that
        // tick + range cannot overflow even for clamped (MAX_DELAY) deadlines.
        if (slotBits < 1 || slotBits > 6) throw new IllegalArgumentException("slotBits " + slotBits);
        if (levels < 1 || levels * slotBits > 48) throw new IllegalArgumentException("levels " + levels);
        // Tick numbers up to about (MAX_DELAY + range ticks) must convert to nanoseconds.
        if (tickNanos > (Long.MAX_VALUE >>> 2) >>> (levels * slotBits)) {
            throw new IllegalArgumentException("tickNanos " + tickNanos + " too large for the geometry");
        }
        this.threadName = Objects.requireNonNull(threadName);
        this.tickNanos = tickNanos;
        this.slotBits = slotBits;
        this.levels = levels;
        this.slotsPerLevel = 1 << slotBits;
        this.slotMask = slotsPerLevel - 1;
        this.overflowSlot = levels * slotsPerLevel;
        this.range = 1L << (levels * slotBits);
        this.heads = new Timer[overflowSlot + 1];
        this.tails = new Timer[overflowSlot + 1];
        this.occupied = new long[levels];
        this.origin = System.nanoTime();
    }

    // ------------------------------------------------------------------ public API

    /**
     * Arms {@code t} to expire after {@code delayNanos} (clamped to >= 0; 0 means on the next tick
     * at the latest, so callers wanting "now" should rather act themselves). Returns false and
     * changes nothing if {@code t} is already armed. O(1), no allocation.
     *
     * @param t the timer
     * @param delayNanos delay from now, in nanoseconds
     * @return true if armed, false if {@code t} was already armed
     *
     * @throws IllegalArgumentException if {@code t} was armed on a different wheel before
     */
    public boolean arm(Timer t, long delayNanos) {
        bind(t);
        lock.lock();
        return armLocked(t, delayNanos);
    }

    /**
     * {@link #arm} if the wheel's lock is free at once, for a thread that must never wait in
     * the lock's queue (a carrier of virtual threads that use this wheel: see
     * {@code CarrierWatch.watch}); the caller retries as it sees fit. Returns false, changing
     * nothing, if another thread holds the lock; true once the call had it, whether it armed
     * {@code t} or found it armed.
     *
     * @param t the timer
     * @param delayNanos delay from now, in nanoseconds
     * @return whether the lock was had (and the call done)
     *
     * @throws IllegalArgumentException if {@code t} was armed on a different wheel before
     */
    public boolean tryArm(Timer t, long delayNanos) {
        bind(t);
        if (!lock.tryLock()) {
            return false;
        }
        armLocked(t, delayNanos);
        return true;
    }

    /** Arms {@code t} with the lock just taken; releases it, then unparks the wheel thread if needed. */
    private boolean armLocked(Timer t, long delayNanos) {
        Thread toWake;
        try {
            checkRunnable();
            if (t.slot != UNLINKED) {
                return false;
            }
            toWake = insert(t, delayNanos);
        } finally {
            lock.unlock();
        }
        // Unpark after unlocking: the woken thread's first act is to take the lock.
        if (toWake != null) LockSupport.unpark(toWake);
        return true;
    }

    /**
     * Disarms {@code t} if armed. Returns true if it was armed and will now never expire (for
     * this arm); false if it was not armed, including when it has already been taken off the
     * wheel to expire, in which case {@code expire()} runs or has run. O(1).
     *
     * @param t the timer
     * @return true if this call disarmed {@code t}
     *
     * @throws IllegalArgumentException if {@code t} belongs to a different wheel
     */
    public boolean cancel(Timer t) {
        TimerWheel w = t.boundWheel();
        if (w == null) return false;           // never armed anywhere
        if (w != this) throw foreign(t);
        lock.lock();
        try {
            if (t.slot == UNLINKED) return false;
            unlink(t);
            count--;
            t.armed = false;
            // No unpark: if the thread is parked for this entry it wakes up, finds nothing,
            // and parks again; cheaper on average than computing whether it must.
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-arms {@code t} to expire after {@code delayNanos}, atomically with respect to expiry and
     * cancel: like {@code cancel} then {@code arm} with no gap in between (this is what
     * {@code mod_delayed_work} needs). Returns true if {@code t} was armed before.
     *
     * @param t the timer
     * @param delayNanos new delay from now, in nanoseconds
     * @return true if {@code t} was armed before (and its old deadline is now void)
     *
     * @throws IllegalArgumentException if {@code t} was armed on a different wheel before
     */
    public boolean rearm(Timer t, long delayNanos) {
        bind(t);
        boolean wasArmed;
        Thread toWake;
        lock.lock();
        try {
            checkRunnable();
            wasArmed = t.slot != UNLINKED;
            if (wasArmed) {
                // Keep t.armed true throughout: to an observer the timer never stops being armed.
                unlink(t);
                count--;
            }
            toWake = insert(t, delayNanos);
        } finally {
            lock.unlock();
        }
        if (toWake != null) LockSupport.unpark(toWake);
        return wasArmed;
    }

    /**
     * Number of armed timers (for tests and statistics).
     *
     * @return the number of armed timers
     */
    public int armedCount() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TimerWheel[" + threadName + ", tick=" + tickNanos + "ns, armed=" + armedCount() + "]";
    }

    // ------------------------------------------------------------------ test hooks

    /**
     * Stops the wheel thread; armed timers never fire and further arms throw. Tests only: the
     * shared wheel lives as long as the process.
     */
    void shutdown() {
        Thread th;
        lock.lock();
        try {
            terminated = true;
            th = thread;
        } finally {
            lock.unlock();
        }
        if (th != null) LockSupport.unpark(th);
    }

    /** The wheel thread, or null before the first arm. */
    Thread thread() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the wheel thread has gone round its loop (about one per wakeup). */
    long wakeupCount() {
        return wakeups;
    }

    long tickNanos() {
        return tickNanos;
    }

    // ------------------------------------------------------------------ arming

    private void bind(Timer t) {
        if (!t.bindTo(this)) throw foreign(t);
    }

    private IllegalArgumentException foreign(Timer t) {
        // Class name, not t.toString(): that is user code and the timer may be half-built.
        return new IllegalArgumentException(
                t.getClass().getName() + " is bound to another TimerWheel than " + threadName);
    }

    private void checkRunnable() {
        assert lock.isHeldByCurrentThread();
        if (terminated) throw new IllegalStateException(this + " has been shut down");
        if (thread == null) {
            Thread th = Thread.ofPlatform()
                    .name(threadName)
                    .daemon(true)
                    // The thread outlives whoever happened to arm first: inherit nothing from it.
                    .inheritInheritableThreadLocals(false)
                    .unstarted(new Loop());
            th.start(); // if this throws, nothing has been changed yet
            thread = th;
        }
    }

    /**
     * Files an unlinked {@code t} and returns the wheel thread if it must be woken for it.
     */
    private Thread insert(Timer t, long delayNanos) {
        assert lock.isHeldByCurrentThread();
        assert t.slot == UNLINKED;
        long now = System.nanoTime();
        long d = Math.min(Math.max(delayNanos, 0L), MAX_DELAY_NANOS);
        long elapsed = now - origin;
        if (count == 0) {
            // Idle wheel: move the hand to the present so the entry is filed by its true
            // distance (see overview). Nothing is filed, so nothing can be skipped.
            base = Math.max(base, elapsed / tickNanos);
        }
        t.deadline = now + d;
        // Round up: tick 'expires' is processed no earlier than origin + expires * tickNanos,
        // which is >= the deadline.
        t.expires = Math.ceilDiv(elapsed + d, tickNanos);
        place(t);
        count++;
        t.armed = true;
        long visit = visitTick(t.slot);
        if (visit < wakeTick) {
            // Parked for later than this entry's slot comes up (or indefinitely). Record the
            // earlier tick so that further arms in the same range do not unpark again.
            wakeTick = visit;
            return thread;
        }
        return null;
    }

    // ------------------------------------------------------------------ wheel structure

    /** Files {@code t} by its distance from base (see overview). */
    private void place(Timer t) {
        assert lock.isHeldByCurrentThread();
        long idx = t.expires - base;
        int s;
        if (idx < slotsPerLevel) {
            // Overdue entries (idx < 0) go to the slot processed next, not the slot of their
            // expiry tick, which the hand has passed and would only revisit a lap later.
            s = (int) ((idx < 0 ? base : t.expires) & slotMask);
        } else {
            int level = (63 - Long.numberOfLeadingZeros(idx)) / slotBits;
            s = level >= levels
                    ? overflowSlot
                    : (level << slotBits) | (int) ((t.expires >>> (level * slotBits)) & slotMask);
        }
        link(t, s);
    }

    /** Appends {@code t} to slot list {@code s}. */
    private void link(Timer t, int s) {
        assert lock.isHeldByCurrentThread();
        Timer tail = tails[s];
        t.prev = tail;
        t.next = null;
        t.slot = s;
        if (tail == null) {
            heads[s] = t;
            if (s != overflowSlot) occupied[s >>> slotBits] |= 1L << (s & slotMask);
        } else {
            tail.next = t;
        }
        tails[s] = t;
    }

    /** Removes {@code t} from its slot list; does not touch count or armed. */
    private void unlink(Timer t) {
        assert lock.isHeldByCurrentThread();
        int s = t.slot;
        Timer p = t.prev, n = t.next;
        if (p == null) heads[s] = n; else p.next = n;
        if (n == null) tails[s] = p; else n.prev = p;
        if (heads[s] == null && s != overflowSlot) {
            occupied[s >>> slotBits] &= ~(1L << (s & slotMask));
        }
        t.prev = t.next = null;
        t.slot = UNLINKED;
    }

    /** Empties slot list {@code s} and returns its former first entry (the chain stays linked). */
    private Timer detach(int s) {
        assert lock.isHeldByCurrentThread();
        Timer first = heads[s];
        heads[s] = tails[s] = null;
        if (s != overflowSlot) occupied[s >>> slotBits] &= ~(1L << (s & slotMask));
        return first;
    }

    /** Smallest {@code k} with {@code k << shift >= x}, for {@code x >= 0}. */
    private static long ceilShift(long x, int shift) {
        return (x + (1L << shift) - 1) >>> shift;
    }

    /** The first tick >= base at which slot {@code s} is processed (fired or cascaded). */
    private long visitTick(int s) {
        assert lock.isHeldByCurrentThread();
        if (s == overflowSlot) {
            int shift = (levels - 1) * slotBits;
            return ceilShift(base, shift) << shift;
        }
        int shift = (s >>> slotBits) * slotBits;
        long k0 = ceilShift(base, shift);             // first turn of this level at or after base
        long k = k0 + (((s & slotMask) - k0) & slotMask);
        return k << shift;
    }

    /** The first tick >= base at which anything happens, or NEVER if the wheel is empty. */
    private long nextEventTick() {
        assert lock.isHeldByCurrentThread();
        long best = NEVER;
        for (int n = 0; n < levels; n++) {
            long bits = occupied[n];
            if (bits == 0) continue;
            int shift = n * slotBits;
            long k0 = ceilShift(base, shift);
            int p = (int) (k0 & slotMask);
            long hi = bits >>> p;
            // First occupied slot at or after the hand, wrapping around once.
            int d = hi != 0
                    ? Long.numberOfTrailingZeros(hi)
                    : slotsPerLevel - p + Long.numberOfTrailingZeros(bits);
            best = Math.min(best, (k0 + d) << shift);
        }
        if (heads[overflowSlot] != null) {
            best = Math.min(best, visitTick(overflowSlot));
        }
        return best;
    }

    // ------------------------------------------------------------------ turning the wheel

    /**
     * Processes every event tick up to {@code nowTick}, collecting due entries into {@code out};
     * stops early once MAX_BATCH entries are collected (the caller fires and comes back).
     */
    private void advance(long nowTick, ArrayList<Timer> out) {
        assert lock.isHeldByCurrentThread();
        while (base <= nowTick) {
            long t = nextEventTick();
            if (t > nowTick) {
                base = nowTick + 1; // nothing filed comes up in between: skip it
                return;
            }
            base = t;
            processTick(t, out);
            base = t + 1;
            if (out.size() >= MAX_BATCH) return;
        }
    }

    /** Cascades what tick {@code t} is due to cascade, then collects level-0 slot t. */
    private void processTick(long t, ArrayList<Timer> out) {
        assert lock.isHeldByCurrentThread();
        assert base == t;
        // Level n turns when the low n*B bits of t are zero; levels turn like an odometer, so
        // stop at the first level that has not.
        for (int n = 1; n < levels; n++) {
            int shift = n * slotBits;
            if ((t & ((1L << shift) - 1)) != 0) break;
            int s = (n << slotBits) | (int) ((t >>> shift) & slotMask);
            for (Timer e = detach(s), next; e != null; e = next) {
                next = e.next; // place() overwrites the links
                place(e);
            }
        }
        if (heads[overflowSlot] != null && (t & ((1L << ((levels - 1) * slotBits)) - 1)) == 0) {
            for (Timer e = heads[overflowSlot], next; e != null; e = next) {
                next = e.next;
                if (e.expires - base < range) {
                    unlink(e);
                    place(e); // within range now, so never back onto this list
                }
            }
        }
        for (Timer e = detach((int) (t & slotMask)), next; e != null; e = next) {
            next = e.next;
            assert e.expires <= t : "entry for tick " + e.expires + " collected at " + t;
            // The linearization point with cancel(): from here cancel() returns false.
            e.prev = e.next = null;
            e.slot = UNLINKED;
            e.firing = true;  // before armed goes false: a lost cancel always sees one of them
            e.armed = false;
            count--;
            out.add(e);
        }
    }

    /** The wheel thread's body: a class, not {@code this::run}, so that no lambda is spun for it. */
    private final class Loop implements Runnable {
        @Override
        public void run() {
            TimerWheel.this.run();
        }
    }

    /**
     * Passes of the wheel loop per activation of {@link #passes}. The loop returns and is called
     * again rather than run in one frame for the thread's life, as the engine's loops do
     * ({@code dev.jwq.LongLoops} says why: a thread that stays for good in an OSR compilation
     * HotSpot made not entrant calls recompiled callees in the interpreter from then on).
     * A fresh activation costs a call; a pass costs a clock read and usually a park.
     */
    static final int PASSES_PER_ACTIVATION = 1 << 10;

    /** The wheel thread. */
    private void run() {
        while (passes()) {
            // the loop goes on in a fresh activation (see PASSES_PER_ACTIVATION)
        }
    }

    /** The wheel loop for at most {@link #PASSES_PER_ACTIVATION} passes: false once terminated. */
    private boolean passes() {
        final ArrayList<Timer> out = batch;
        for (int pass = 0; pass < PASSES_PER_ACTIVATION; pass++) {
            wakeups++; // single writer
            long parkNanos;
            lock.lock();
            try {
                if (terminated) return false;
                wakeTick = AWAKE;
                long now = System.nanoTime();
                long elapsed = now - origin;
                advance(elapsed / tickNanos, out);
                if (!out.isEmpty()) {
                    parkNanos = -1;
                } else {
                    long next = nextEventTick();
                    wakeTick = next;
                    // next > nowTick, so this is > 0: never a zero-length park in a loop.
                    parkNanos = next == NEVER ? 0 : next * tickNanos - elapsed;
                }
            } finally {
                lock.unlock();
            }
            if (parkNanos < 0) {
                fire(out);
                continue;
            }
            // Nobody is supposed to interrupt this thread, but if someone does, a set interrupt
            // flag would make park() return immediately, forever: a busy spin. Ignore it.
            Thread.interrupted();
            if (parkNanos == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, parkNanos);
            }
            // Early, spurious or unpark-induced returns from park all just loop: the next pass
            // recomputes from the clock.
        }
        return true;
    }

    /** Calls expire() on each collected entry, outside the lock. */
    private void fire(ArrayList<Timer> out) {
        assert !lock.isHeldByCurrentThread();
        for (int i = 0, n = out.size(); i < n; i++) {
            Timer t = out.get(i);
            out.set(i, null); // do not keep a fired timer reachable from the wheel
            try {
                t.expire();
            } catch (Throwable ex) {
                report(t, ex);
            } finally {
                t.firing = false;
            }
            // A callback that leaves the interrupt flag set would make every later park()
            // return at once, turning the wheel thread into a spinner.
            Thread.interrupted();
        }
        out.clear();
    }

    /** Reports a throwing expire(); must itself never throw. */
    private static void report(Timer t, Throwable ex) {
        Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
        if (h != null) {
            try {
                h.uncaughtException(Thread.currentThread(), ex);
                return;
            } catch (Throwable ignored) {
                // A broken handler must not kill the wheel either; fall back to the logger.
            }
        }
        try {
            // Not t.toString(): it is user code too and may throw as well.
            String who = t.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(t));
            Log.LOGGER.log(Level.ERROR, "jwq: Timer.expire() of " + who + " threw", ex);
        } catch (Throwable ignored) {
            // Nowhere left to report to.
        }
    }
}
