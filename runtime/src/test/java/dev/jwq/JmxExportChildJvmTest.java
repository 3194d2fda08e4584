package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jwq.jmx} in fresh JVMs ({@link JmxExportChild}): by default jwq never makes the platform
 * MBean server, and exports once someone else has made it (within about a watch period), without
 * a workqueue that was closed before; {@code eager} makes the server with the first workqueue;
 * {@code off} exports nothing even once the server exists.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JmxExportChildJvmTest {

    @Test
    void byDefaultNoServerIsMadeAndTheBeansFollowTheServerWhenSomeoneMakesIt() throws Exception {
        Map<String, String> out = run();
        assertEquals("0", out.get("serversBefore"), "no MBean server made by jwq: " + out);
        assertEquals("false", out.get("jmxThreadBefore"), out.toString());
        assertEquals("true", out.get("exported"), "runtime and workqueue beans once the server exists: " + out);
        long after = Long.parseLong(out.get("exportedAfterMs"));
        // About a watch period (1 s); the bound leaves room for a loaded machine.
        assertTrue(after < TimeUnit.NANOSECONDS.toMillis(JmxExport.WATCH_PERIOD_NANOS) + 4_000, out.toString());
        assertTrue(Integer.parseInt(out.get("pools")) >= 1, "pools made before the server are exported: " + out);
        assertEquals("false", out.get("goneRegistered"), "a workqueue closed before the server is never registered: " + out);
        assertEquals("true", out.get("lateRegistered"), out.toString());
        assertEquals("true", out.get("lateUnregistered"), out.toString());
        assertEquals("true", out.get("keptRegistered"), out.toString());
    }

    @Test
    void eagerMakesTheServerWithTheFirstWorkqueue() throws Exception {
        Map<String, String> out = run("-Djwq.jmx=eager");
        assertEquals("1", out.get("serversBefore"), out.toString());
        assertEquals("true", out.get("exported"), out.toString());
        assertTrue(Integer.parseInt(out.get("pools")) >= 1, out.toString());
        assertEquals("false", out.get("goneRegistered"), out.toString());
        assertEquals("true", out.get("lateRegistered"), out.toString());
        assertEquals("true", out.get("lateUnregistered"), out.toString());
    }

    @Test
    void offExportsNothing() throws Exception {
        Map<String, String> out = run("-Djwq.jmx=off");
        assertEquals("0", out.get("serversBefore"), out.toString());
        assertEquals("false", out.get("exported"), out.toString());
        assertEquals("0", out.get("pools"), out.toString());
        assertEquals("false", out.get("lateRegistered"), out.toString());
        assertEquals("false", out.get("keptRegistered"), out.toString());
    }

    private static Map<String, String> run(String... jvmArgs) throws Exception {
        String[] args = new String[jvmArgs.length + 1];
        args[0] = "--enable-native-access=ALL-UNNAMED";
        System.arraycopy(jvmArgs, 0, args, 1, jvmArgs.length);
        ChildJvm.Result r = ChildJvm.run(JmxExportChild.class, args);
        assertEquals(0, r.exitCode(), r.output());
        Map<String, String> out = new HashMap<>();
        r.output().lines().map(l -> l.split(" ", 2)).filter(kv -> kv.length == 2).forEach(kv -> out.put(kv[0], kv[1]));
        out.put("output", r.output());
        return out;
    }
}
