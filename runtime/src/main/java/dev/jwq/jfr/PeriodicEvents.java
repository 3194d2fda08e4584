package dev.jwq.jfr;

import jdk.jfr.FlightRecorder;

/**
 * The periodic events: the statistics pulled from the runtime's {@link StatisticsSource} and
 * the {@link PinningUnavailable} state. Hooks are registered with JFR on first use only, so a
 * JVM that never asks pays nothing; JFR calls them on its periodic thread only while a
 * recording has the event on.
 *
 * <p>Legend: V: volatile, written by the runtime at start-up, read by JFR's periodic thread;
 * S: the class's monitor.
 */
final class PeriodicEvents {
    private static volatile StatisticsSource source;     // V
    private static volatile String pinningReason;        // V
    private static boolean statisticsHooked;             // S
    private static boolean pinningHooked;                // S

    private PeriodicEvents() {
    }

    static void register(StatisticsSource s) {
        source = s;
        synchronized (PeriodicEvents.class) {
            if (!statisticsHooked) {
                statisticsHooked = true;
                FlightRecorder.addPeriodicEvent(WorkqueueStatistics.class, PeriodicEvents::emitWorkqueues);
                FlightRecorder.addPeriodicEvent(PoolStatistics.class, PeriodicEvents::emitPools);
            }
        }
    }

    static void pinningUnavailable(String reason) {
        pinningReason = reason;
        synchronized (PeriodicEvents.class) {
            if (!pinningHooked) {
                pinningHooked = true;
                FlightRecorder.addPeriodicEvent(PinningUnavailable.class, PeriodicEvents::emitPinning);
            }
        }
        emitPinning(); // a running recording sees it now, later ones at their first chunk
    }

    private static void emitPinning() {
        String reason = pinningReason;
        if (reason == null) {
            return;
        }
        PinningUnavailable e = new PinningUnavailable();
        if (e.shouldCommit()) {
            e.reason = reason;
            e.commit();
        }
    }

    private static void emitWorkqueues() {
        StatisticsSource s = source;
        if (s == null) {
            return;
        }
        s.workqueues(c -> {
            WorkqueueStatistics e = new WorkqueueStatistics();
            e.workqueue = c.name();
            e.unbound = c.unbound();
            e.memReclaim = c.memReclaim();
            e.started = c.started();
            e.completed = c.completed();
            e.inFlight = Math.max(0, c.started() - c.completed());
            e.cpuTime = c.cpuTimeNanos();
            e.cpuIntensive = c.cpuIntensive();
            e.cmWakeups = c.cmWakeups();
            e.repatriated = c.repatriated();
            e.maydays = c.maydays();
            e.rescued = c.rescued();
            e.maxActive = c.maxActive();
            e.active = c.active();
            e.inactiveItems = c.inactive();
            e.commit();
        });
    }

    private static void emitPools() {
        StatisticsSource s = source;
        if (s == null) {
            return;
        }
        s.pools(c -> {
            PoolStatistics e = new PoolStatistics();
            e.pool = c.id();
            e.name = c.name();
            e.cpu = c.cpu();
            e.highPriority = c.highPriority();
            e.workers = c.workers();
            e.idle = c.idle();
            e.running = c.running();
            e.pending = c.pending();
            e.completed = c.completed();
            e.commit();
        });
    }
}
