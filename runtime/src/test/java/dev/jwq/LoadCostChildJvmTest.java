package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
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
    void oneWorkqueueStartsNeitherJmxNorLoggingNorTheRegexEngineNorRecordBootstraps() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LoadCostChild.class, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xlog:class+load=info:stdout");
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("\ndone"), out);
        assertTrue(out.contains(" dev.jwq.WorkerPool source: "), "the class loading log is read: " + tail(out));
        assertNotLoaded(out, "com.sun.jmx.mbeanserver.JmxMBeanServer", "the platform MBean server (jwq.jmx=auto)");
        assertNotLoaded(out, "java.lang.runtime.ObjectMethods", "a record's equals/hashCode bootstrap (Pools.UnboundAttrs)");
        assertNotLoaded(out, "java.util.regex.Pattern", "the regex engine (the topology read's globs)");
        // A warning (pinning refused here, say) legitimately starts the logging backend.
        if (!out.contains("jwq: ")) {
            assertNotLoaded(out, "java.util.logging.Logger", "java.util.logging (System.getLogger at class load, Log)");
        }
    }

    private static void assertNotLoaded(String out, String className, String what) {
        assertFalse(out.contains(" " + className + " source: "), what + " was loaded: " + className);
    }

    private static String tail(String s) {
        return s.length() < 2000 ? s : s.substring(s.length() - 2000);
    }
}
