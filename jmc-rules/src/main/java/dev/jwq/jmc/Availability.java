package dev.jwq.jmc;

import dev.jwq.jfr.EventNames;
import java.util.List;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * Whether a jwq rule can judge a recording. JMC's own check (an event type ENABLED by its
 * {@code jdk.ActiveSetting}) fails for jwq's rare events in a recording that started before the
 * runtime registered them (the usual {@code -XX:StartFlightRecording} case): JMC then does not
 * tie the settings to the type. So a rule applies when the recording holds any jwq event (the
 * runtime was recording) and its own event was not explicitly disabled; no events then means
 * none happened, as the runtime has the rare events on by default.
 */
final class Availability {
    private Availability() {
    }

    /** Event types the runtime emits whenever it runs under a recording with jwq's settings or defaults. */
    private static final List<String> JWQ_EVIDENCE = List.of(EventNames.WORKQUEUE_STATISTICS,
            EventNames.POOL_STATISTICS, EventNames.WORK_EXECUTION, EventNames.WORKER_LIFECYCLE, EventNames.POOL_STALL,
            EventNames.CPU_INTENSIVE, EventNames.MAYDAY, EventNames.RESCUE, EventNames.WORKER_SLEEPING);

    /** Why the rule cannot judge, or null when it can. */
    static String notApplicableReason(IItemCollection items, String... ruleEvents) {
        for (String type : ruleEvents) {
            if (RulesToolkit.getEventAvailability(items, type) == EventAvailability.DISABLED) {
                return "The recording had " + type + " disabled; record with jwq.jfc (jwq jfc prints it).";
            }
        }
        for (String type : JWQ_EVIDENCE) {
            EventAvailability a = RulesToolkit.getEventAvailability(items, type);
            if (a == EventAvailability.AVAILABLE || a == EventAvailability.ENABLED) {
                return null;
            }
        }
        return "The recording holds no jwq events: the application did not use jwq, or was recorded without "
                + "jwq's settings (-XX:StartFlightRecording:settings=default,settings=jwq.jfc).";
    }
}
