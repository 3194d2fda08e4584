package dev.jwq.jfr;

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
 * <p>Legend: V: volatile, written under the class monitor by JFR's notifying threads, read by
 * every tracepoint.
 */
final class RecordingGate implements FlightRecorderListener {
    private static volatile boolean open;   // V: some recording is RUNNING

    static {
        FlightRecorder.addListener(new RecordingGate());
    }

    private RecordingGate() {
    }

    /** True while some recording runs; events may still be off in it. */
    static boolean open() {
        return open;
    }

    @Override
    public void recorderInitialized(FlightRecorder recorder) {
        update(recorder);
    }

    @Override
    public void recordingStateChanged(Recording recording) {
        update(FlightRecorder.getFlightRecorder());
    }

    private static synchronized void update(FlightRecorder recorder) {
        boolean running = false;
        for (Recording r : recorder.getRecordings()) {
            running |= r.getState() == RecordingState.RUNNING;
        }
        open = running;
    }
}
