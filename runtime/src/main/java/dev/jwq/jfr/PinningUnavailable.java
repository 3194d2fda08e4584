package dev.jwq.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * Bound workers could not be pinned to their CPUs (no FFM API, or the affinity call failed).
 * A state, not a moment: emitted at the start of every chunk once the runtime has reported it,
 * so every recording shows it however late it started.
 */
@Name(EventNames.PINNING_UNAVAILABLE)
@Label("CPU Pinning Unavailable")
@Category({"jwq", "Runtime"})
@Description("Bound workers run unpinned: CPU affinity is not available in this JVM or OS")
@StackTrace(false)
@Period("beginChunk")
public final class PinningUnavailable extends Event {
    @Label("Reason")
    String reason;

    PinningUnavailable() {
    }
}
