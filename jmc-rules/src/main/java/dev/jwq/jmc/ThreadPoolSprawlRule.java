package dev.jwq.jmc;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.IMCMethod;
import org.openjdk.jmc.common.IMCStackTrace;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.JfrAttributes;
import org.openjdk.jmc.flightrecorder.rules.AbstractRule;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * Thread pools left outside jwq: threads started during the recording ({@code jdk.ThreadStart})
 * by a {@code ThreadPoolExecutor} or a {@code ForkJoinPool}, known by the starting stack
 * ({@code ThreadPoolExecutor.addWorker}, {@code ForkJoinPool.createWorker}) or, where the stack
 * was not recorded, by the JDK's default thread names ({@code pool-N-thread-M},
 * {@code ForkJoinPool-N-worker-M}, {@code ForkJoinPool.commonPool-worker-M}). jwq's own workers
 * ({@code jwq/...}) never count. INFO for any, WARNING from {@link #WARNING_THREADS}.
 */
public final class ThreadPoolSprawlRule extends AbstractRule {
    static final String ID = "jwq.ThreadPoolSprawl";
    static final String THREAD_START = "jdk.ThreadStart";

    static final TypedPreference<IQuantity> WARNING_THREADS = new TypedPreference<>("jwq.sprawl.warningThreads",
            "Thread pool sprawl warning limit", "Pool threads outside jwq from which the rule warns",
            UnitLookup.NUMBER, UnitLookup.NUMBER_UNITY.quantity(16));

    /** Frames that start a pool's worker thread. */
    private static final Set<String> POOL_STARTERS = Set.of("java.util.concurrent.ThreadPoolExecutor.addWorker",
            "java.util.concurrent.ForkJoinPool.createWorker");
    private static final Pattern DEFAULT_NAMES =
            Pattern.compile("pool-\\d+-thread-\\d+|ForkJoinPool-\\d+-worker-\\d+|ForkJoinPool\\.commonPool-worker-\\d+");
    /** The last number (the worker's index) in a thread's name, cut off to name the pool. */
    private static final Pattern WORKER_INDEX = Pattern.compile("\\d+$");
    private static final int FRAMES_LOOKED_AT = 12;

    public ThreadPoolSprawlRule() {
        super(ID, "Thread Pools Outside jwq", JwqAttributes.TOPIC, List.<TypedPreference<?>>of(WARNING_THREADS),
                List.<TypedResult<?>>of(TypedResult.SCORE), Map.of(THREAD_START, EventAvailability.ENABLED));
    }

    @Override
    protected IResult getResult(IItemCollection items, IPreferenceValueProvider prefs, IResultValueProvider results) {
        Set<Long> seen = new HashSet<>();
        Map<String, Integer> perPool = new TreeMap<>();
        Items.forEach(items, THREAD_START, (a, item) -> {
            IMCThread t = a.get(JwqAttributes.STARTED_THREAD, item);
            if (t == null || t.getThreadName() == null || t.getThreadName().startsWith("jwq/")) {
                return;
            }
            boolean pool = startedByPool(a.get(JfrAttributes.EVENT_STACKTRACE, item))
                    || DEFAULT_NAMES.matcher(t.getThreadName()).matches();
            Long id = t.getThreadId();
            if (pool && (id == null || seen.add(id))) {
                perPool.merge(WORKER_INDEX.matcher(t.getThreadName()).replaceFirst("*"), 1, Integer::sum);
            }
        });
        int threads = perPool.values().stream().mapToInt(Integer::intValue).sum();
        ResultBuilder b = ResultBuilder.createFor(this, prefs);
        if (threads == 0) {
            return b.setSeverity(Severity.OK).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .setSummary("No thread pool outside jwq started a thread during the recording.").build();
        }
        long limit = prefs.getPreferenceValue(WARNING_THREADS).longValue();
        Severity s = threads >= limit ? Severity.WARNING : Severity.INFO;
        return b.setSeverity(s).addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(s == Severity.WARNING ? 75 : 30))
                .setSummary(threads + " thread(s) of " + perPool.size() + " JDK thread pool(s) outside jwq started during "
                        + "the recording.")
                .setExplanation("Threads started by ThreadPoolExecutor or ForkJoinPool, per pool (thread names, '*' for "
                        + "the worker index): " + Items.list(perPool) + ". Each pool keeps its own threads, idle or not, and its "
                        + "work is invisible to jwq's concurrency management.")
                .setSolution("Create these executors through Workqueues (Workqueues.newFixedThreadPool(...) and the "
                        + "other twins of Executors), or run with the jwq agent (-javaagent:jwq-agent.jar), which "
                        + "rewrites executor creation onto workqueues; check its include/exclude options if these "
                        + "pools were expected to be rewritten.")
                .build();
    }

    private static boolean startedByPool(IMCStackTrace trace) {
        if (trace == null) {
            return false;
        }
        List<? extends IMCFrame> frames = trace.getFrames();
        for (int i = 0; i < Math.min(FRAMES_LOOKED_AT, frames.size()); i++) {
            IMCMethod m = frames.get(i).getMethod();
            if (m != null && m.getType() != null
                    && POOL_STARTERS.contains(m.getType().getFullName() + "." + m.getMethodName())) {
                return true;
            }
        }
        return false;
    }
}
