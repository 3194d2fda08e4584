package dev.jwq.agent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's two entry points, {@code Premain-Class} and {@code Main-Class}, compiled for Java 8
 * (agent/pom.xml, execution {@code java8-entry}) while everything else is compiled for Java 21.
 * A JVM older than 21 that loaded {@code JwqAgent} itself would fail with
 * {@code UnsupportedClassVersionError} inside {@code -javaagent} processing, and that aborts the
 * JVM ({@code FATAL ERROR in native method: processing of -javaagent failed}): the application
 * would not start at all. Here such a JVM gets one warning and the application runs with its own
 * executors, as with any other reason the agent stays off; {@code java -jar} gets a sentence
 * instead of a stack trace.
 *
 * <p>Nothing but Java 8 API here, and the next class is reached by name: the JVM resolves a
 * class only when it is first used, so on an old JVM nothing compiled for 21 is ever loaded.
 */
public final class Entry {
    /** The Java version the rest of the jar is compiled for. */
    static final int REQUIRED = 21;

    private Entry() {}

    /** {@code -javaagent}: on Java 21 or later, {@code JwqAgent.premain}; else one warning. */
    public static void premain(String args, Instrumentation inst) {
        int version = runningVersion();
        if (version < REQUIRED) {
            System.err.println("jwq-agent: WARNING: jwq " + tooOld(version) + "; the agent is off and the application"
                    + " runs with its own executors");
            return;
        }
        try {
            entryPoint("dev.jwq.agent.JwqAgent", "premain",
                    MethodType.methodType(void.class, String.class, Instrumentation.class)).invoke(args, inst);
        } catch (Throwable t) {
            // JwqAgent.premain catches its own failures; this is one of loading it (a damaged jar).
            System.err.println("jwq-agent: WARNING: could not start (" + t + "); the application runs with its own"
                    + " executors");
        }
    }

    /** {@code java -jar jwq-agent.jar ...}: the jwq command line, on Java 21 or later. */
    public static void main(String[] args) throws Throwable {
        int version = runningVersion();
        if (version < REQUIRED) {
            System.err.println("jwq: " + tooOld(version));
            System.exit(2);
        }
        entryPoint("dev.jwq.tool.Main", "main", MethodType.methodType(void.class, String[].class))
                .invoke((Object) args); // a method handle rethrows what main throws, unwrapped
    }

    private static MethodHandle entryPoint(String className, String method, MethodType type) throws Exception {
        // This class's own loader: the bootstrap loader when the jar is on Boot-Class-Path, as
        // JwqAgent expects; the system loader for a renamed jar, which JwqAgent then moves.
        Class<?> c = Class.forName(className, true, Entry.class.getClassLoader());
        return MethodHandles.publicLookup().findStatic(c, method, type);
    }

    private static int runningVersion() {
        return featureVersion(System.getProperty("java.specification.version"));
    }

    private static String tooOld(int version) {
        return "needs Java " + REQUIRED + " or later, and this JVM is Java " + version;
    }

    /**
     * The feature version in {@code java.specification.version}: {@code 1.8} is 8, {@code 17} is
     * 17. Anything else (a format not seen yet) counts as new enough: the agent then starts, and
     * its own checks stand.
     */
    static int featureVersion(String spec) {
        if (spec == null) {
            return Integer.MAX_VALUE;
        }
        String s = spec.startsWith("1.") ? spec.substring(2) : spec;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? Integer.MAX_VALUE : Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // more digits than an int
        }
    }
}
