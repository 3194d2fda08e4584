package dev.jwq.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** A trial's end: its executors shut down, and terminated in time or the trial fails. */
final class Shutdown {
    /** How long teardown waits for an executor to terminate before the trial fails. */
    static final long TERMINATION_SECONDS = 60;

    private Shutdown() {}

    /** Shuts {@code e} down and waits for it to terminate; {@code label} names it in the failure. */
    static void await(ExecutorService e, String label) throws InterruptedException {
        e.shutdown();
        if (!e.awaitTermination(TERMINATION_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + " did not terminate within " + TERMINATION_SECONDS + " s of shutdown");
        }
    }
}
