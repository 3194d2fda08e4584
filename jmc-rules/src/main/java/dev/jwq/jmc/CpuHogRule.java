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
 * Items of concurrency-managed workqueues that hogged the CPU past the CPU-intensive threshold
 * ({@code CpuIntensive}, Linux's {@code wq_cpu_intensive_report}): INFO for any, WARNING when
 * one function did it {@link #WARNING_COUNT} times or more (where Linux starts to warn).
 */
public final class CpuHogRule extends AbstractRule {
    static final String ID = "jwq.CpuHog";

    static final TypedPreference<IQuantity> WARNING_COUNT = new TypedPreference<>("jwq.cpuHog.warningCount",
            "CPU hog warning count", "Hogs by one function from which the rule warns", UnitLookup.NUMBER,
            UnitLookup.NUMBER_UNITY.quantity(4));

    public CpuHogRule() {
        super(ID, "Workqueue CPU Hog", JwqAttributes.TOPIC, List.<TypedPreference<?>>of(WARNING_COUNT),
                List.<TypedResult<?>>of(TypedResult.SCORE),
                Map.<String, EventAvailability>of());
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider results) {
        String notApplicable = Availability.notApplicableReason(items, EventNames.CPU_INTENSIVE);
        if (notApplicable != null) {
            return RulesToolkit.getNotApplicableResult(this, prefs, notApplicable);
        }
        Map<String, Long> perFunction = new TreeMap<>();
        Items.forEach(items, EventNames.CPU_INTENSIVE, (a, item) -> perFunction.merge(
                a.get(JwqAttributes.FUNCTION, item) + " on '" + a.get(JwqAttributes.WORKQUEUE, item) + "'", 1L, Long::sum));
        ResultBuilder b = ResultBuilder.createFor(this, prefs);
        if (perFunction.isEmpty()) {
            return b.setSeverity(Severity.OK).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .setSummary("No work item hogged the CPU.").build();
        }
        Map.Entry<String, Long> worst = perFunction.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        long limit = prefs.getPreferenceValue(WARNING_COUNT).longValue();
        Severity s = worst.getValue() >= limit ? Severity.WARNING : Severity.INFO;
        return b.setSeverity(s).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(s == Severity.WARNING ? 80 : 40))
                .setSummary(worst.getKey() + " hogged the CPU " + worst.getValue() + " time(s).")
                .setExplanation("These items ran past the CPU-intensive threshold without blocking, so they stopped "
                        + "counting toward their pool's concurrency and another worker took the pool's other items: "
                        + Items.list(perFunction) + ". Each such item holds a CPU that per-CPU pools meant for short items.")
                .setSolution("Queue long computations on a workqueue with WqFlag.UNBOUND or WqFlag.CPU_INTENSIVE, or "
                        + "split them into shorter items.")
                .build();
    }
}
