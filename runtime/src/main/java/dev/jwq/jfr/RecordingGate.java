package dev.jwq.jfr;

import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Whether any JFR recording is running: the first check of every tracepoint, so that a JVM
 * that records nothing pays one plain load and never creates an event object, whatever the JIT
 * decides to inline (escape analysis alone removes the event only where it is inlined well).
 * Kept up to date by a {@link FlightRecorderListener}, which JFR calls after every change of a
 * recording's state; registering it does not start or initialise Flight Recorder.
 *
 * <p>Once Flight Recorder is initialised it also registers every jwq event type, so that a
 * recording names them (and their settings) even when one never happens: "no stall" is then
 * something Mission Control's rules can tell from "stalls not recorded".
 *
 * <p>Legend: V: volatile, written under the class monitor by JFR's notifying threads, read by
 * every tracepoint. R: volatile, set once by whichever thread gets there first.
 */
final class RecordingGate implements FlightRecorderListener {

    private static volatile boolean open;   // V: some recording is RUNNING
    private static volatile boolean eventFailureLogged; // R: racy on purpose, a second warning is harmless

    static {
        FlightRecorder.addListener(new RecordingGate());
    }

    private RecordingGate() {
    }

    /** Initialises this class, which adds the listener. */
    static void init() {
        // the static initialiser has run by the time this is called
    }

    /**
     * An event that could not be recorded (a tracepoint on a path that must go on, such as a
     * worker's item epilogue): the first failure is logged, the rest are dropped in silence, so
     * that a recording never floods the log it is meant to spare.
     */
    static void eventFailed(String event, Throwable cause) {
        if (!eventFailureLogged) {
            eventFailureLogged = true;
            System.getLogger("dev.jwq").log(System.Logger.Level.WARNING,
                    "jwq: cannot record " + event + " events, dropping them: " + cause);
        }
    }

    /** True while some recording runs; events may still be off in it. */
    static boolean open() {
        return open;
    }

    @Override
    public void recorderInitialized(FlightRecorder recorder) {
        try {
            for (Class<? extends Event> type : EventTypes.ALL) {
                FlightRecorder.register(type);
            }
        } catch (RuntimeException e) {
            // Events still register when first committed; only "never happened" becomes unknown.
            System.getLogger("dev.jwq").log(System.Logger.Level.WARNING, "jwq: cannot register JFR event types: " + e);
        }
        PeriodicEvents.recorderInitialized();
        update(recorder);
    }


    @Override
    public void recordingStateChanged(Recording recording) {
        update(FlightRecorder.getFlightRecorder());
    }

    /**
     * Every event type of the runtime. In a holder of its own: loading an event class costs JFR
     * work (tens of milliseconds for the first), which a JVM that never records must not pay.
     */
    static final class EventTypes {
        static final List<Class<? extends Event>> ALL = List.of(WorkQueued.class, WorkActivated.class,
                WorkExecution.class, WorkerSleeping.class, WorkerLifecycle.class, Mayday.class, Rescue.class,
                PoolStall.class, CpuIntensive.class, PinningUnavailable.class, WorkqueueStatistics.class,
                PoolStatistics.class);

        private EventTypes() {
        }
    }

    private static synchronized void update(FlightRecorder recorder) {
        boolean running = false;
        for (Recording r : recorder.getRecordings()) {
            running |= r.getState() == RecordingState.RUNNING;
        }
        open = running;
    }
}
