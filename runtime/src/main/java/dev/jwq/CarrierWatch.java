package dev.jwq;

import dev.jwq.timer.Timer;
import dev.jwq.timer.TimerWheel;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds carriers pinned by the continuation they run, and compensates them. A continuation
 * that blocks without unmounting (a native call, file or pipe I/O, a park inside a class
 * initialiser, {@code Object.wait} below a native frame) blocks its carrier thread, and every
 * worker queued on that carrier waits. The JDK compensates its own ForkJoinPool carriers for
 * some of these; for a custom scheduler it does not, so this watch does: a carrier whose thread
 * has been in one mount since the last sample, with workers queued behind it, and is blocked
 * now ({@link CarrierThread#blocked()}: its own thread state, or for a RUNNABLE thread that used
 * almost no CPU meanwhile, the kernel's view of it), gets a compensating thread
 * ({@link CarrierThread#compensate}). The pinned thread ends when its continuation returns.
 *
 * <p>It costs nothing while no carrier has work queued behind a busy thread: a carrier is
 * registered by the submission that queues behind its busy thread, and let go after
 * {@link #UNWATCH_AFTER_QUIET_SAMPLES} samples with an empty queue. While any is registered the
 * watch samples every {@link #PERIOD_NANOS} (4 ms) on the shared timer wheel (no thread of its
 * own); a pin is compensated one to two periods after it began, or after work queued behind it.
 *
 * <p>Legend: V: lock-free, any thread; T: confined to the timer thread.
 */
final class CarrierWatch {
    /**
     * How often registered carriers are sampled: 4 ms, not the wheel's 1 ms tick. Under a steady
     * load work is queued behind a busy carrier most of the time, so the watch stays registered,
     * and at a sample a millisecond the timer thread's wake-ups (about 420 a second on two CPUs)
     * put a tail on the items: submit-to-start p99 at 100k/s on an unbound pool's virtual
     * workers, JMH forks with p99 under 100 us, 13 of 33 at 1 ms against 33 of 45 at 4, 8 or
     * 20 ms (bench/README.md, sessions 27 and 28). Bursts do not need the fast sample: the watch
     * found no pin in them, and twin-fixed bursts from one thread were 125 ns a task (median of
     * 10 forks) at 1 ms against 81 at 4 ms, as bimodal as ever. A pin is compensated 4-8 ms after
     * work queued behind it, and by the {@link PoolMonitor}'s pass too; Linux's threshold for a
     * CPU-hogging work item ({@code wq_cpu_intensive_thresh_us}) is 10 ms.
     */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    /** Samples in a row with an empty run queue before a carrier is let go. */
    static final int UNWATCH_AFTER_QUIET_SAMPLES = 20;
    /**
     * A RUNNABLE carrier thread that used less CPU than this over a period may be waiting in
     * native code; the kernel's view decides ({@link KernelThreadState}).
     */
    static final long NATIVE_WAIT_MAX_CPU_NANOS = PERIOD_NANOS / 10;

    private static final class Holder {
        static final CarrierWatch INSTANCE = new CarrierWatch(TimerWheel.shared());
    }

    private final TimerWheel wheel;
    private final ConcurrentLinkedQueue<Carrier> newlyWatched = new ConcurrentLinkedQueue<>(); // V
    private final ArrayList<Carrier> watched = new ArrayList<>();  // T
    /** V: the timer is armed or about to be; set by whoever arms it. */
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Timer timer = new Timer() {
        @Override
        protected void expire() {
            sample();
        }
    };

    static CarrierWatch get() {
        return Holder.INSTANCE;
    }

    private CarrierWatch(TimerWheel wheel) {
        this.wheel = wheel;
    }

    /**
     * Registers {@code c} (its watch flag just set); any thread, carriers included. The timer is
     * armed without queueing for the wheel's lock ({@link TimerWheel#tryArm}, retried): a
     * virtual thread this carrier schedules may be first in that lock's queue; a carrier queued
     * behind it is woken only after it, and the release wakes only it, which cannot run while
     * its carrier waits: both stuck for good (seen as a hung test: a worker parked for the
     * wheel's lock on its carrier while holding its pool's lock, the carrier parked behind it,
     * the stall watchdog waiting for the pool). Barging in needs only the holder, which runs
     * elsewhere, to let go.
     */
    void watch(Carrier c) {
        newlyWatched.add(c);
        if (!armed.get() && armed.compareAndSet(false, true)) {
            for (int attempt = 0; !wheel.tryArm(timer, PERIOD_NANOS); attempt++) {
                Backoff.pause(attempt);
            }
        }
    }

    /** T: one sample of every registered carrier. */
    private void sample() {
        for (Carrier c; (c = newlyWatched.poll()) != null; ) {
            watched.add(c);
        }
        // Compacted in place, not removeIf: no object per sample (the watch samples every period
        // while work waits behind a busy carrier) and no lambda spun on the first workqueue's path.
        int kept = 0;
        for (int i = 0; i < watched.size(); i++) {
            Carrier c = watched.get(i);
            if (check(c)) {
                watched.set(kept++, c);
            }
        }
        while (watched.size() > kept) {
            watched.remove(watched.size() - 1);
        }
        if (!watched.isEmpty()) {
            wheel.arm(timer, PERIOD_NANOS);
            return;
        }
        armed.set(false); // then re-check: Dekker with watch(), which adds, then reads `armed`
        if (!newlyWatched.isEmpty() && armed.compareAndSet(false, true)) {
            wheel.arm(timer, PERIOD_NANOS);
        }
    }

    /** T: samples {@code c}; returns whether to keep watching it. */
    private boolean check(Carrier c) {
        try {
            if (!c.hasQueued()) {
                c.watchedMount = 0;
                return ++c.quietSamples < UNWATCH_AFTER_QUIET_SAMPLES || !c.unwatch();
            }
            c.quietSamples = 0;
            if (c.state() == Carrier.DORMANT) {
                c.wake(); // its thread could not be started when work came: try again
                return true;
            }
            CarrierThread t = c.drainer;
            long m = t == null ? 0 : t.mountWord();
            if (CarrierThread.status(m) != CarrierThread.MOUNTED) {
                c.watchedMount = 0;
                return true;
            }
            if (m != c.watchedMount) { // a new mount since the last sample: look again next time
                c.watchedMount = m;
                c.watchedCpu = CpuClock.of(t);
                return true;
            }
            if (blocked(c, t)) {
                t.compensate(m);
                c.watchedMount = 0;
            }
            return true;
        } catch (Throwable e) {
            // Never let a failure stop the timer wheel: drop the carrier; its next queueing
            // behind a busy thread registers it again.
            c.watchedMount = 0;
            c.unwatch();
            CarrierGroup.report("CarrierWatch on " + c, e);
            return false;
        }
    }

    /** T: whether {@code t}, in the same mount as at the last sample, is blocked now. */
    private static boolean blocked(Carrier c, CarrierThread t) {
        Thread.State st = t.getState();
        if (st != Thread.State.RUNNABLE) {
            return st == Thread.State.BLOCKED || st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
        }
        // RUNNABLE: computing (a CPU-intensive item is the engine's to compensate), or blocked
        // in a system call, which only the kernel can tell; asked only if it barely ran.
        long cpu = CpuClock.of(t);
        long before = c.watchedCpu;
        c.watchedCpu = cpu;
        if (cpu >= 0 && before >= 0 && cpu - before >= NATIVE_WAIT_MAX_CPU_NANOS) {
            return false;
        }
        return KernelThreadState.blockedInNativeCall(t.syscallFile);
    }
}
