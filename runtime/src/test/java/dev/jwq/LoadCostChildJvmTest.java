package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a process loads for one workqueue and one item (issue 11, bench/README "Load cost"): none
 * of the subsystems the runtime used to start on the way and no longer needs there. Each line
 * is a class that only that subsystem loads, read from {@code -Xlog:class+load} of a fresh JVM
 * with the default settings and virtual workers (platform workers say so in a log line).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoadCostChildJvmTest {

    @Test
    void oneWorkqueueStartsNeitherJmxNorLoggingNorTheRegexEngineNorNioChannelsNorRecordBootstrapsAndSpinsNoClass() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LoadCostChild.class, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xlog:class+load=info:stdout");
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("\ndone"), out);
        assertTrue(out.contains(" dev.jwq.WorkerPool source: "), "the class loading log is read: " + tail(out));
        assertNotLoaded(out, "com.sun.jmx.mbeanserver.JmxMBeanServer", "the platform MBean server (jwq.jmx=auto)");
        assertNotLoaded(out, "java.lang.runtime.ObjectMethods", "a record's equals/hashCode bootstrap (Pools.UnboundAttrs)");
        assertNotLoaded(out, "java.util.regex.Pattern", "the regex engine (the topology read's globs)");
        assertNotLoaded(out, "sun.nio.ch.FileChannelImpl", "NIO's file channels, with libnet (the kernel's files are read through java.io)");
        assertSpunNone(out);
        // A warning (pinning refused here, say) legitimately starts the logging backend.
        if (!out.contains("jwq: ")) {
            assertNotLoaded(out, "java.util.logging.Logger", "java.util.logging (System.getLogger at class load, Log)");
        }
    }

    /**
     * No class of jwq's spun at run time: a lambda or method reference is a hidden class made on
     * its first run, an invokedynamic string concatenation too, and enough of them get the JDK's
     * class generator compiled, whose compiler arena (7.6 MB for one method) glibc then keeps
     * (bench/README "Load cost"). The JDK spins some of its own here (virtual threads, reflection).
     */
    private static void assertSpunNone(String out) {
        Matcher lambda = Pattern.compile(" (dev\\.jwq\\.[\\w$.]+\\$\\$Lambda)\\S* source: ").matcher(out);
        while (lambda.find()) {
            if (!lambda.group(1).startsWith(LoadCostChild.class.getName() + "$")) {
                throw new AssertionError("jwq spun a lambda on the first workqueue's path: " + lambda.group(1));
            }
        }
        assertNotLoaded(out, "java.lang.invoke.StringConcatFactory", "an invokedynamic string concatenation");
    }

    private static void assertNotLoaded(String out, String className, String what) {
        assertFalse(out.contains(" " + className + " source: "), what + " was loaded: " + className);
    }

    private static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }
}
