package dev.jwq.timer;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * An intrusive timer entry for {@link TimerWheel}.
 *
 * <p>Users embed a timer by subclassing it (the runtime's delayed work holds a subclass whose
 * {@link #expire()} queues the work). The link fields live in the entry itself so that arming
 * and cancelling allocate nothing and take O(1) time, exactly like {@code struct timer_list}
 * embedded in {@code struct delayed_work} in Linux.
 *
 * <p>A timer belongs to the first wheel it is armed on and may only ever be used with that wheel:
 * its link fields are guarded by that wheel's lock, so letting two wheels share an entry would
 * let two locks guard the same fields. The runtime only uses {@link TimerWheel#shared()}.
 */
public abstract class Timer {

    /*
     * Field legend (as in TimerWheel):
     *
     * L: guarded by the lock of the owning wheel (the wheel this timer is bound to).
     * V: volatile; written under L, read without it.
     * B: bound once by compare-and-set, then immutable.
     *
     * The fields are package-private rather than protected on purpose: subclasses live in other
     * packages and must not be able to see or corrupt the wheel's links.
     */

    /** L: previous entry in the slot list, or null if first (or unlinked). */
    Timer prev;
    /** L: next entry in the slot list, or null if last (or unlinked). */
    Timer next;
    /** L: absolute System.nanoTime() at or after which expire() may run. */
    long deadline;
    /** L: deadline rounded UP to a wheel tick (ticks since the wheel's origin). */
    long expires;
    /** L: index of the slot list holding this entry, or TimerWheel.UNLINKED. */
    int slot = TimerWheel.UNLINKED;
    /**
     * V: mirrors {@code slot != UNLINKED} so {@link #isArmed()} needs no lock. Stays true across a
     * cascade or a rearm, which move the entry without ever disarming it.
     */
    volatile boolean armed;
    /**
     * V: true from the moment the wheel takes this entry off to expire until {@code expire()}
     * has returned, so a canceller that lost the race can wait for the callback to finish, as
     * {@code del_timer_sync} does.
     */
    volatile boolean firing;
    /** B: the wheel this timer is bound to, null until first armed. */
    private volatile TimerWheel wheel;

    /* A field updater, not a VarHandle: see "Field updaters" in dev/jwq/package-info.java. */
    private static final AtomicReferenceFieldUpdater<Timer, TimerWheel> WHEEL =
            AtomicReferenceFieldUpdater.newUpdater(Timer.class, TimerWheel.class, "wheel");

    /** Creates an unarmed timer, not yet bound to any wheel. */
    protected Timer() {}

    /**
     * Called on the wheel's thread when the timer expires.
     *
     * <p>By the time this runs the entry has been unlinked and {@link #isArmed()} is false, so the
     * callback may re-arm the same timer (periodic timers do). It runs outside the wheel lock but
     * on the single wheel thread: it must be short (every other timer of the process waits for it)
     * and should not throw. Anything it throws is reported through the default uncaught exception
     * handler, or {@link System.Logger} if there is none, and the wheel carries on. Calls to
     * {@code expire()} for one timer never overlap, because only the wheel thread makes them.
     */
    protected abstract void expire();

    /**
     * Returns true between a successful arm and the moment the timer is cancelled or taken off the
     * wheel to expire. Note that {@code expire()} runs just <em>after</em> this becomes false; use
     * the return value of {@link TimerWheel#cancel} (not this method) to decide who owns the
     * outcome.
     *
     * @return whether this timer is currently on a wheel
     */
    public final boolean isArmed() {
        return armed;
    }

    /**
     * Returns true while the wheel has taken this timer off to expire and {@code expire()} has
     * not yet returned.
     *
     * @return whether the expiry callback is pending or running
     */
    public final boolean isFiring() {
        return firing;
    }

    /** The wheel this timer is bound to, or null if it has never been armed. */
    final TimerWheel boundWheel() {
        return wheel;
    }

    /**
     * Binds this timer to {@code w} if it is unbound; returns whether it is (now) bound to
     * {@code w}. A CAS rather than a write under the wheel lock, because two different wheels'
     * locks would not exclude each other.
     */
    final boolean bindTo(TimerWheel w) {
        TimerWheel cur = wheel;
        if (cur == null && WHEEL.compareAndSet(this, null, w)) {
            return true;
        }
        return wheel == w;
    }
}
