package dev.jwq.agent.boot;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent did, for {@code report=true}: call sites and subclasses rewritten, executors
 * created on jwq, the threads those executors would have started, and the call sites and
 * executors left alone with the reason. Counters are updated by the transformer (sites,
 * subclasses) and by the rewritten executors as they are made (the rest): an executor counts as
 * created on jwq only once it runs on a workqueue, so the report never claims a rewrite that did
 * not happen. The summary is printed once, at exit.
 *
 * <p>Legend: V: atomic; S: guarded by {@code AgentReport.class}.
 */
public final class AgentReport {
    private static volatile boolean enabled;                              // V: report=true
    private static final AtomicInteger sitesRewritten = new AtomicInteger();  // V
    private static final AtomicInteger subclassesRewritten = new AtomicInteger(); // V
    private static final AtomicInteger executorsCreated = new AtomicInteger(); // V
    private static final AtomicLong threadsAvoided = new AtomicLong();        // V
    private static final Map<String, Integer> leftAlone = new TreeMap<>();    // S: reason -> count

    private AgentReport() {}

    /** Called once by premain: turns on the events and the summary line at exit. */
    public static void enable() {
        enabled = true;
        Thread hook = new Thread(() -> System.err.println(summary()), "jwq-agent report");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static boolean enabled() {
        return enabled;
    }

    /** The transformer rewrote one call site. */
    public static void siteRewritten() {
        sitesRewritten.incrementAndGet();
    }

    /** The transformer made one class extend jwq's executor instead of the JDK's. */
    public static void subclassRewritten() {
        subclassesRewritten.incrementAndGet();
    }

    /** A call site or a class was left as it was, for {@code reason}. */
    public static synchronized void leftAlone(String reason) {
        leftAlone.merge(reason, 1, Integer::sum);
    }

    /**
     * An executor made at {@code site} by {@code made} (a JDK factory or constructor, or a
     * subclass) keeps its own threads, for {@code reason}: counted, and an event when reporting.
     */
    static void leftAlone(String site, String made, String reason) {
        leftAlone(made + " with " + reason);
        if (enabled) {
            ExecutorLeftAlone e = new ExecutorLeftAlone();
            if (e.shouldCommit()) {
                e.callSite = site;
                e.originalFactory = made;
                e.reason = reason;
                e.commit();
            }
        }
    }

    /** An executor made at {@code site} by {@code factory} runs on workqueue {@code workqueue}. */
    static void created(String site, String factory, String workqueue) {
        executorsCreated.incrementAndGet();
        if (enabled) {
            ExecutorRewritten e = new ExecutorRewritten();
            if (e.shouldCommit()) {
                e.callSite = site;
                e.originalFactory = factory;
                e.workqueue = workqueue;
                e.commit();
            }
        }
    }

    /** A rewritten executor reached a point where the JDK's would have started {@code n} more threads. */
    static void threadsAvoided(int n) {
        threadsAvoided.addAndGet(n);
    }

    /** The summary line printed at exit. */
    public static synchronized String summary() {
        StringBuilder sb = new StringBuilder("jwq-agent: ")
                .append(sitesRewritten.get()).append(" call sites and ")
                .append(subclassesRewritten.get()).append(" subclasses rewritten, ")
                .append(executorsCreated.get()).append(" executors created on jwq, ")
                .append(threadsAvoided.get()).append(" threads not started; left alone: ");
        if (leftAlone.isEmpty()) {
            return sb.append("none").toString();
        }
        int total = leftAlone.values().stream().mapToInt(Integer::intValue).sum();
        sb.append(total).append(" (");
        String sep = "";
        for (Map.Entry<String, Integer> e : leftAlone.entrySet()) {
            sb.append(sep).append(e.getKey()).append(": ").append(e.getValue());
            sep = "; ";
        }
        return sb.append(')').toString();
    }
}
