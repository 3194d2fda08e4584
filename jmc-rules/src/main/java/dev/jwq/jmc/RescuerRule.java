package dev.jwq.jmc;

import dev.jwq.jfr.EventNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.AbstractRule;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * A pool could not create a worker and called rescuers ({@code Mayday}; INFO), and rescuers ran
 * items ({@code Rescue}; WARNING: forward progress depended on the last resort).
 */
public final class RescuerRule extends AbstractRule {
    static final String ID = "jwq.Rescuer";

    public RescuerRule() {
        super(ID, "Workqueue Rescuer In Use", JwqAttributes.TOPIC, List.<TypedPreference<?>>of(),
                List.<TypedResult<?>>of(TypedResult.SCORE),
                Map.<String, EventAvailability>of());
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider results) {
        String notApplicable = Availability.notApplicableReason(items, EventNames.MAYDAY, EventNames.RESCUE);
        if (notApplicable != null) {
            return RulesToolkit.getNotApplicableResult(this, prefs, notApplicable);
        }
        Map<String, Long> maydays = new TreeMap<>();
        Map<String, Long> rescued = new TreeMap<>();
        Items.forEach(items, EventNames.MAYDAY, (a, item) -> maydays.merge(a.get(JwqAttributes.WORKQUEUE, item), 1L, Long::sum));
        Items.forEach(items, EventNames.RESCUE, (a, item) -> {
            IQuantity n = a.get(JwqAttributes.RESCUED, item);
            rescued.merge(a.get(JwqAttributes.WORKQUEUE, item), n == null ? 0 : n.longValue(), Long::sum);
        });
        ResultBuilder b = ResultBuilder.createFor(this, prefs);
        if (maydays.isEmpty() && rescued.isEmpty()) {
            return b.setSeverity(Severity.OK).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .setSummary("No rescuer was needed: pools always got workers.").build();
        }
        Severity s = rescued.isEmpty() ? Severity.INFO : Severity.WARNING;
        b.setSeverity(s).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(s == Severity.WARNING ? 80 : 40));
        if (rescued.isEmpty()) {
            b.setSummary("Rescuers were called (maydays per workqueue: " + Items.list(maydays) + ") but ran nothing.");
        } else {
            b.setSummary("Rescuers ran items (per workqueue: " + Items.list(rescued) + ").");
        }
        return b.setExplanation("A pool could not create a worker (the jwq.maxWorkers cap, or the JVM could not start a "
                        + "thread) and sent maydays to its MEM_RECLAIM workqueues' rescuers, which run their pending "
                        + "items one batch at a time. Workqueues without MEM_RECLAIM wait instead. Maydays: " + Items.list(maydays)
                        + "; items rescued: " + Items.list(rescued) + ".")
                .setSolution("Look for WorkerLifecycle events with action 'creation failed' and their reason; raise "
                        + "jwq.maxWorkers or find what exhausts threads (native memory, ulimit -u).")
                .build();
    }
}
