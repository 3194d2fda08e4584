package dev.jwq.jmc;

import dev.jwq.jfr.EventNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.rules.AbstractRule;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * A pool with pending work made no progress for the watchdog threshold ({@code PoolStall}, the
 * JVM's "BUG: workqueue lockup"): a warning whenever the recording has one.
 */
public final class WorkqueueStallRule extends AbstractRule {
    static final String ID = "jwq.WorkqueueStall";

    public WorkqueueStallRule() {
        super(ID, "Workqueue Stall", JwqAttributes.TOPIC, List.<TypedPreference<?>>of(),
                List.<TypedResult<?>>of(TypedResult.SCORE),
                Map.<String, EventAvailability>of());
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider results) {
        String notApplicable = Availability.notApplicableReason(items, EventNames.POOL_STALL);
        if (notApplicable != null) {
            return RulesToolkit.getNotApplicableResult(this, prefs, notApplicable);
        }
        List<String> stalls = new ArrayList<>();
        Items.forEach(items, EventNames.POOL_STALL, (a, item) -> {
            IQuantity pool = a.get(JwqAttributes.POOL, item);
            IQuantity cpu = a.get(JwqAttributes.CPU, item);
            IQuantity stalled = a.get(JwqAttributes.STALLED_FOR, item);
            IQuantity pending = a.get(JwqAttributes.PENDING, item);
            stalls.add("pool " + pool.longValue() + (cpu.longValue() >= 0 ? " (cpu " + cpu.longValue() + ")" : " (unbound)")
                    + " made no progress for " + stalled.displayUsing(org.openjdk.jmc.common.IDisplayable.AUTO) + " with "
                    + pending.longValue() + " items pending");
        });
        ResultBuilder b = ResultBuilder.createFor(this, prefs);
        if (stalls.isEmpty()) {
            return b.setSeverity(Severity.OK).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .setSummary("No workqueue pool stalled.").build();
        }
        return b.setSeverity(Severity.WARNING).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(100))
                .setSummary(stalls.size() + " pool stall(s): " + stalls.get(0) + ".")
                .setExplanation("The jwq watchdog found pools with pending work that made no progress for the watchdog "
                        + "threshold: " + String.join("; ", limit(stalls)) + ". Every item queued on such a pool waits. "
                        + "Usually a running item blocks without telling concurrency management, or the pool cannot "
                        + "create a worker.")
                .setSolution("Look at the stall's dump (the PoolStall event) for what the pool's workers run. Wrap "
                        + "blocking calls in Workqueues.blocking(...), run the jwq agent with hooks=true, or move "
                        + "long blocking items to an unbound workqueue; give workqueues that must make progress "
                        + "under worker shortage WqFlag.MEM_RECLAIM.")
                .build();
    }

    static List<String> limit(List<String> lines) {
        return lines.size() <= 5 ? lines : lines.subList(0, 5);
    }
}
