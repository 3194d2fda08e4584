package dev.jwq.jmc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

/**
 * Runs the jwq rules on a recording as Mission Control's automated analysis does: the recording
 * loaded by JMC's parser, the rules found through JMC's registry (our service file), evaluated by
 * {@code RulesToolkit.evaluateParallel}.
 */
public final class JwqRulesReport {
    /** The ids of jwq's rules, in report order. */
    public static final List<String> IDS = List.of(WorkqueueStallRule.ID, QueueLatencyRule.ID, CpuHogRule.ID,
            RescuerRule.ID, ThreadPoolSprawlRule.ID);

    private JwqRulesReport() {}

    /** Each jwq rule's result on {@code recording}, by rule id. */
    public static Map<String, IResult> evaluate(Path recording) throws IOException, CouldNotLoadRecordingException {
        IItemCollection items = JfrLoaderToolkit.loadEvents(recording.toFile());
        List<IRule> rules = RuleRegistry.getRules().stream().filter(rule -> IDS.contains(rule.getId())).toList();
        Map<IRule, Future<IResult>> futures = RulesToolkit.evaluateParallel(rules, items,
                IPreferenceValueProvider.DEFAULT_VALUES, 2);
        Map<String, IResult> results = new LinkedHashMap<>();
        for (String id : IDS) {
            for (Map.Entry<IRule, Future<IResult>> e : futures.entrySet()) {
                if (e.getKey().getId().equals(id)) {
                    try {
                        results.put(id, e.getValue().get(30, TimeUnit.SECONDS));
                    } catch (Exception ex) {
                        throw new IllegalStateException("rule " + id + " failed on " + recording, ex);
                    }
                }
            }
        }
        return results;
    }
}
