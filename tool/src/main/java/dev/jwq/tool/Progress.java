package dev.jwq.tool;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress indicator on stderr while a recording is read: shown only once reading has
 * taken longer than {@link #quietNanos} (small files stay silent), refreshed at most every
 * {@link #PERIOD_NANOS}, and cleared at the end. The fraction is the share of the recording's
 * time span read so far, from the chunk headers.
 */
final class Progress {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final PrintStream err;
    private final String what;
    private final long quietNanos;
    private final long begin = System.nanoTime();
    private long lastShown;
    private boolean shown;

    Progress(PrintStream err, String what, long quietNanos) {
        this.err = err;
        this.what = what;
        this.quietNanos = quietNanos;
    }

    /** Called per event; cheap unless a refresh is due. */
    void update(long events, double fraction) {
        if ((events & 0x3FF) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - begin < quietNanos || (shown && now - lastShown < PERIOD_NANOS)) {
            return;
        }
        lastShown = now;
        shown = true;
        int pct = (int) Math.max(0, Math.min(99, fraction * 100));
        err.print("\rreading " + what + ": " + pct + "% (" + events + " events)");
        err.flush();
    }

    void done(long events) {
        if (shown) {
            err.print("\rreading " + what + ": done (" + events + " events)\n");
            err.flush();
        }
    }
}
