package dev.jwq.jmc;

import static org.openjdk.jmc.common.unit.UnitLookup.MILLISECOND;
import static org.openjdk.jmc.common.unit.UnitLookup.NANOSECOND;
import static org.openjdk.jmc.common.unit.UnitLookup.TIMESPAN;

import dev.jwq.jfr.EventNames;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The 99th percentile of queue latency (queueing to the start of the run) per workqueue, over the
 * recorded {@code WorkExecution} events: INFO from {@link #INFO_LIMIT}, WARNING from
 * {@link #WARNING_LIMIT}, judged by the worst workqueue. With jwq.jfc the items are a uniform
 * sample (one in 1024), so the percentile estimates that of all items.
 */
public final class QueueLatencyRule extends AbstractRule {
    static final String ID = "jwq.QueueLatency";

    static final TypedPreference<IQuantity> INFO_LIMIT = new TypedPreference<>("jwq.queueLatency.info",
            "Queue latency info limit", "p99 queue latency of a workqueue from which the rule informs", TIMESPAN,
            MILLISECOND.quantity(10));
    static final TypedPreference<IQuantity> WARNING_LIMIT = new TypedPreference<>("jwq.queueLatency.warning",
            "Queue latency warning limit", "p99 queue latency of a workqueue from which the rule warns", TIMESPAN,
            MILLISECOND.quantity(100));

    public QueueLatencyRule() {
        super(ID, "Workqueue Queue Latency", JwqAttributes.TOPIC, List.<TypedPreference<?>>of(INFO_LIMIT, WARNING_LIMIT),
                List.<TypedResult<?>>of(TypedResult.SCORE),
                Map.<String, EventAvailability>of());
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider results) {
        String notApplicable = Availability.notApplicableReason(items, EventNames.WORK_EXECUTION);
        if (notApplicable != null) {
            return RulesToolkit.getNotApplicableResult(this, prefs, notApplicable);
        }
        Map<String, List<Long>> latencies = new TreeMap<>();
        Items.forEach(items, EventNames.WORK_EXECUTION, (a, item) -> {
            IQuantity l = a.get(JwqAttributes.QUEUE_LATENCY, item);
            String wq = a.get(JwqAttributes.WORKQUEUE, item);
            if (l != null) {
                latencies.computeIfAbsent(wq, k -> new ArrayList<>()).add(l.clampedLongValueIn(NANOSECOND));
            }
        });
        long info = prefs.getPreferenceValue(INFO_LIMIT).clampedLongValueIn(NANOSECOND);
        long warning = prefs.getPreferenceValue(WARNING_LIMIT).clampedLongValueIn(NANOSECOND);
        String worst = null;
        long worstP99 = -1;
        for (Map.Entry<String, List<Long>> e : latencies.entrySet()) {
            long p99 = p99(e.getValue());
            if (p99 > worstP99) {
                worstP99 = p99;
                worst = e.getKey();
            }
        }
        ResultBuilder b = ResultBuilder.createFor(this, prefs);
        if (worst == null) {
            return b.setSeverity(Severity.OK).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .setSummary("No work item was recorded.").build();
        }
        String p99Text = NANOSECOND.quantity(worstP99).displayUsing(org.openjdk.jmc.common.IDisplayable.AUTO);
        Severity s = worstP99 >= warning ? Severity.WARNING : worstP99 >= info ? Severity.INFO : Severity.OK;
        double score = s == Severity.WARNING ? 80 : s == Severity.INFO ? 50 : 0;
        b.setSeverity(s).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(score))
                .setSummary("The highest p99 queue latency is " + p99Text + ", on workqueue '" + worst + "' ("
                        + latencies.get(worst).size() + " recorded items, a sample unless recorded with jwq-items=all).");
        if (s != Severity.OK) {
            b.setExplanation("Items of '" + worst + "' waited " + p99Text + " or more (p99) between queueing and the "
                    + "start of their run. Items wait when the workqueue is at max_active, when the pool's running "
                    + "item computes without blocking (concurrency management keeps one running per CPU), or when "
                    + "the pool cannot get a worker.")
                    .setSolution("Check the workqueue's max_active and the items ahead of these (WorkExecution events "
                            + "on the same pool). Long computations belong on an UNBOUND or CPU_INTENSIVE workqueue; "
                            + "blocking calls in Workqueues.blocking(...).");
        }
        return b.build();
    }

    /** Nearest-rank 99th percentile. */
    static long p99(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(0.99 * v.length);
        return v[Math.max(0, rank - 1)];
    }
}
