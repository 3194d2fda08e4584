package dev.jwq.agent;

import java.lang.instrument.Instrumentation;

/**
 * The jwq java agent: {@code -javaagent:jwq-agent.jar[=options]} (options in DESIGN 3b and
 * docs/agent.md). premain does the least it can and never throws into the application: if
 * anything fails, the application runs with its own executors and one warning says why.
 *
 * <p>There is no {@code Agent-Class}: attached late, the agent could only rewrite classes not
 * yet loaded, while the executors the application already made keep their threads, so
 * attaching would change little and surprise much.
 */
public final class JwqAgent {
    private JwqAgent() {}

    public static void premain(String args, Instrumentation inst) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            warn("bad option: " + e.getMessage() + "; the agent is off and the application runs with its own executors");
            return;
        }
        if (options.mode() == AgentOptions.Mode.OFF) {
            return;
        }
        try {
            start(options, inst);
        } catch (Throwable t) {
            warn("could not start (" + t + "); the application runs with its own executors");
        }
    }

    private static void start(AgentOptions options, Instrumentation inst) throws Exception {
        BootJar.append(inst);
        if (options.report()) {
            dev.jwq.agent.boot.AgentReport.enable();
        }
        ChainedTransformer transformer = new ChainedTransformer();
        if (options.hooks()) {
            BlockingHooks.prepare(inst, transformer);
        }
        if (options.mode() == AgentOptions.Mode.REWRITE) {
            transformer.add(new RewriteTransformer(options, inst));
        } else {
            BootJar.letJavaBaseReadIt(inst);
            transformer.add(new ObserveTransformer());
        }
        inst.addTransformer(transformer, true);
        retransformInBackground(inst, loadedBootTargets(inst, options));
    }

    /**
     * Only method bodies change, so the JDK classes already loaded (Object, Thread, LockSupport)
     * are retransformed in place; classes loaded later get the change as they load. This takes
     * 40-60 ms (ASM runs interpreted, and the JVM redefines the classes), so it runs beside the
     * application's start rather than before it: until it is done, blocking in those classes is
     * seen by the runtime's sampler only, as without the hooks.
     */
    private static void retransformInBackground(Instrumentation inst, Class<?>[] targets) {
        if (targets.length == 0) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                inst.retransformClasses(targets);
            } catch (Throwable e) {
                warn("could not hook " + java.util.Arrays.toString(targets) + " (" + e
                        + "); jwq learns of blocking there from its sampler only");
            }
        }, "jwq-agent hooks");
        t.setDaemon(true);
        t.start();
    }

    /** The loaded JDK classes that the hooks or observe mode change. */
    private static Class<?>[] loadedBootTargets(Instrumentation inst, AgentOptions options) {
        java.util.List<Class<?>> out = new java.util.ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && c.getName().startsWith("java")
                    && (options.hooks() && BlockingHooks.targets(c) || options.mode() == AgentOptions.Mode.OBSERVE
                        && c == java.util.concurrent.ThreadPoolExecutor.class)) {
                out.add(c);
            }
        }
        return out.toArray(new Class<?>[0]);
    }

    /** One line on standard error, prefixed so that it is found in any log. */
    static void warn(String message) {
        System.err.println("jwq-agent: WARNING: " + message);
    }
}
