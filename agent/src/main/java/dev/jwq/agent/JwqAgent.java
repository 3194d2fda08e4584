package dev.jwq.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.jwq.agent.boot.AgentReport;
import dev.jwq.agent.boot.NativeAccessGrant;
import dev.jwq.agent.boot.TaskThreadNames;
import dev.jwq.spi.SettingsCheck;

/**
 * The jwq java agent: {@code -javaagent:jwq-agent.jar[=options]} (options in DESIGN 3b and
 * docs/agent.md). premain does the least it can and never throws into the application: if
 * anything fails, or an option or a {@code jwq.*} system property is bad, the application runs
 * with its own executors and one warning says why, before any class is rewritten.
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
            if (!BootClassPath.applied()) {
                // A renamed jar: nothing but JDK classes and this one may load here before the
                // append, or they would be the system loader's copies; the bootstrap copy goes on.
                BootClassPath.appendLate(inst);
                BootClassPath.reenter(args, inst);
                return;
            }
            start(options, inst);
        } catch (Throwable t) {
            warn("could not start (" + t + "); the application runs with its own executors");
        }
    }

    /**
     * Set by the first premain that starts: the jar given twice ({@code -javaagent} repeated, in a
     * launcher script and in {@code JAVA_TOOL_OPTIONS}, say) starts once. Here, in the bootstrap
     * copy of this class, which every premain reaches (a renamed jar's re-enters it).
     */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private static void start(AgentOptions options, Instrumentation inst) throws Exception {
        if (!STARTED.compareAndSet(false, true)) {
            warn("given twice (-javaagent); the second is ignored, the first stays on");
            return;
        }
        String problem = SettingsCheck.problem();
        if (problem != null) {
            warn(problem.replaceFirst("^jwq: ", "") + "; the agent is off and the application runs with its own executors");
            return;
        }
        if (Runtime.version().feature() >= 22) {
            NativeAccessGrant.install(); // looks the JDK's internals up only when the runtime first binds its calls
        }
        if (options.report()) {
            AgentReport.enable();
        }
        TaskThreadNames.enabled(options.names());
        ChainedTransformer transformer = new ChainedTransformer();
        if (options.mode() == AgentOptions.Mode.REWRITE) {
            BlockingHooks hooks = options.hooks() ? new BlockingHooks(inst) : null;
            transformer.add(new RuntimeStart(inst, hooks));
            if (hooks != null) {
                transformer.add(hooks);
            }
            transformer.add(new RewriteTransformer(options, inst));
        } else {
            ModuleGrants.apply(inst); // java.base calls Observe from the start
            transformer.add(new ObserveTransformer());
        }
        // Not retransform-capable: with a retransform-capable transformer registered, the JVM keeps
        // a copy of every class file it loads. Classes already loaded are changed by a
        // retransformer registered only while it works (retransform).
        inst.addTransformer(transformer, false);
        if (options.mode() == AgentOptions.Mode.OBSERVE) {
            // One class, and its tasks must be seen from the start: at once, not in the background.
            retransform(inst, new ObserveTransformer(), loaded(inst, c -> c == java.util.concurrent.ThreadPoolExecutor.class));
        }
    }

    /**
     * Changes loaded classes with {@code part}, registered as a retransformer just for this. If
     * another agent retransforms them later, the change is lost (the JVM starts again from the
     * class files without it): for the hooks that means the sampler alone sees blocking there.
     */
    static void retransform(Instrumentation inst, ClassFileTransformer part, Class<?>[] targets)
            throws UnmodifiableClassException {
        if (targets.length == 0) {
            return;
        }
        // Only the retransformation: classes loading meanwhile already get the change from the
        // agent's own transformer, and must not get it twice.
        ClassFileTransformer onlyRedefined = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                    java.security.ProtectionDomain domain, byte[] classfile)
                    throws java.lang.instrument.IllegalClassFormatException {
                return redefined == null ? null : part.transform(module, loader, className, redefined, domain, classfile);
            }
        };
        inst.addTransformer(onlyRedefined, true);
        try {
            inst.retransformClasses(targets);
        } finally {
            inst.removeTransformer(onlyRedefined);
        }
    }

    /** The JDK classes already loaded that {@code which} accepts. */
    private static Class<?>[] loaded(Instrumentation inst, java.util.function.Predicate<Class<?>> which) {
        java.util.List<Class<?>> targets = new java.util.ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && which.test(c)) {
                targets.add(c);
            }
        }
        return targets.toArray(new Class<?>[0]);
    }

    /**
     * The hooks change only method bodies, so JDK classes already loaded are retransformed in
     * place (those loaded later get the change as they load). Retransforming Object, Thread and
     * LockSupport takes 20-60 ms (ASM runs interpreted, and the JVM redefines the classes). It
     * runs on the calling thread, the one making the runtime's first pool, before any worker
     * exists: done beside the application on a thread of its own, items that parked before it
     * ended were never reported, and with the sampler off their pool waited for them for good
     * (BlockingHooksIT's hand-offs, once in a few runs). Only a runtime with platform workers
     * asks for the hooks ({@code WorkerBlocking.hooksNeeded}), so only it pays.
     */
    static void retransformNow(Instrumentation inst, ClassFileTransformer part,
                               java.util.function.Predicate<Class<?>> which) {
        Class<?>[] targets = loaded(inst, which);
        try {
            retransform(inst, part, targets);
        } catch (Throwable e) {
            warn("could not hook " + java.util.Arrays.toString(targets) + " (" + e
                    + "); jwq learns of blocking there from its sampler only");
        }
    }

    /** One line on standard error, prefixed so that it is found in any log. */
    static void warn(String message) {
        System.err.println("jwq-agent: WARNING: " + message);
    }

    /** One line on standard error explaining a warning the JVM prints because of the agent. */
    static void note(String message) {
        System.err.println("jwq-agent: " + message);
    }
}
