package dev.jwq.jfr;

import jdk.jfr.FlightRecorder;

/**
 * The periodic events: the statistics pulled from the runtime's {@link StatisticsSource} and
 * the {@link PinningUnavailable} state. The hooks are handed to JFR only once Flight Recorder
 * is initialised (by the first recording, or at start-up by {@code -XX:StartFlightRecording}):
 * {@link FlightRecorder#addPeriodicEvent} initialises JFR's metadata, a cost of a few hundred
 * milliseconds that a JVM which never records must not pay. JFR calls the hooks on its
 * periodic thread only while a recording has the event on.
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
        hookWhenRecording();
    }

    static void pinningUnavailable(String reason) {
        pinningReason = reason;
        hookWhenRecording();
        emitPinning(); // a running recording sees it now, later ones at their first chunk
    }

    /** Hooks now if Flight Recorder is initialised, else when it is ({@link RecordingGate}'s listener). */
    private static void hookWhenRecording() {
        RecordingGate.init(); // the listener calls recorderInitialized() at once if already initialised
        if (FlightRecorder.isInitialized()) {
            recorderInitialized();
        }
    }

    /** Called once Flight Recorder is initialised: hands JFR the hooks for what has been registered. */
    static synchronized void recorderInitialized() {
        if (source != null && !statisticsHooked) {
            statisticsHooked = true;
            FlightRecorder.addPeriodicEvent(WorkqueueStatistics.class, PeriodicEvents::emitWorkqueues);
            FlightRecorder.addPeriodicEvent(PoolStatistics.class, PeriodicEvents::emitPools);
        }
        if (pinningReason != null && !pinningHooked) {
            pinningHooked = true;
            FlightRecorder.addPeriodicEvent(PinningUnavailable.class, PeriodicEvents::emitPinning);
        }
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
            e.instance = c.instance();
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
