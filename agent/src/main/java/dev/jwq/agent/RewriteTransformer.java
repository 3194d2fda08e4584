package dev.jwq.agent;

import dev.jwq.agent.boot.AgentReport;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites executor-creating call sites ({@link CallSiteRewriter}) in classes as they load, in
 * every class loader but the JDK's, filtered by include/exclude. A class it fails to rewrite is
 * left untouched (it keeps the JDK's executors) and reported once, on standard error.
 */
final class RewriteTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    private final Instrumentation inst;
    /** The bootstrap loader's unnamed module, where Rewrites lives; named modules must read it. */
    private final Module bootModule;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();

    RewriteTransformer(AgentOptions options, Instrumentation inst) {
        this.options = options;
        this.inst = inst;
        this.bootModule = ModuleGrants.runtimeModule();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // A retransformation (by another agent) starts again from the class file as loaded: rewrite it again.
        if (loader == null || loader == platform || className == null
                || !options.covers(className) || !ExecutorMentions.in(classfileBuffer)) {
            return null;
        }
        try {
            byte[] out = CallSiteRewriter.rewrite(classfileBuffer);
            if (out != null && module != null && module.isNamed() && !module.canRead(bootModule)) {
                inst.redefineModule(module, Set.of(bootModule), Map.of(), Map.of(), Set.of(), Map.of());
            }
            return out;
        } catch (Throwable t) {
            AgentReport.leftAlone("class not rewritable (" + t.getClass().getSimpleName() + ")");
            JwqAgent.warn("could not rewrite " + className.replace('/', '.') + " (" + t
                    + "); it keeps the JDK's executors");
            return null;
        }
    }
}
