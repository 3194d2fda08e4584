package dev.jwq.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Whether the agent jar is on the bootstrap class path, and the late way to put it there.
 *
 * <p>The jar's manifest names the jar itself in {@code Boot-Class-Path} (as {@code jwq-agent.jar}
 * and {@code jwq-agent-VERSION.jar}), so the JVM adds it before premain runs, and every class of
 * the agent and the runtime is then defined by the bootstrap loader: rewritten call sites in any
 * class loader and hooks inside {@code java.base} all reach one copy. Added that early, it costs
 * class data sharing nothing and the JVM prints nothing.
 *
 * <p>A jar renamed to anything else is not found there: premain then adds it itself
 * ({@link Instrumentation#appendToBootstrapClassLoaderSearch}), which works the same but makes
 * HotSpot stop sharing the application's classes and print a warning about it; the agent says
 * in one line of its own why, and how to avoid it.
 */
final class BootClassPath {
    private BootClassPath() {}

    /** Whether this copy of the agent was defined by the bootstrap loader (Boot-Class-Path applied). */
    static boolean applied() {
        return BootClassPath.class.getClassLoader() == null;
    }

    /** Adds the agent jar now, saying why the JVM is about to warn. */
    static void appendLate(Instrumentation inst) throws IOException, URISyntaxException {
        Path jar = Path.of(BootClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JwqAgent.note("this jar is named " + jar.getFileName() + ", not jwq-agent.jar, so the JVM could not put it on the"
                + " bootstrap class path at start (Boot-Class-Path); added now, which makes the JVM warn that sharing is"
                + " only supported for boot loader classes. Rename it jwq-agent.jar to avoid that.");
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }

    /** Runs premain again in the bootstrap loader's copy of the agent, which the late append made reachable. */
    static void reenter(String args, Instrumentation inst) throws ReflectiveOperationException {
        Class.forName(JwqAgent.class.getName(), true, null)
                .getMethod("premain", String.class, Instrumentation.class).invoke(null, args, inst);
    }
}
