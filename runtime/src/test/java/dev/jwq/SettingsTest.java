package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The jwq.* settings of DESIGN §3b: defaults, parsing, and a clear error naming the property. */
class SettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreLinuxs() {
        Settings s = Settings.parse(new Properties());
        assertTrue(s.pin());
        assertEquals(0, s.maxWorkers());
        assertEquals(TimeUnit.SECONDS.toNanos(300), s.idleTimeoutNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), s.cpuIntensiveNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(30), s.watchdogNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), s.maydayInitialNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), s.maydayIntervalNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(1), s.createCooldownNanos());
        assertEquals(AffinityScope.CACHE_SHARD, s.defaultAffinityScope());
        assertTrue(s.blockingSampler());
        assertEquals(Settings.Jmx.AUTO, s.jmx());
    }

    @Test
    void jmxTakesAutoEagerOrOff() {
        assertEquals(Settings.Jmx.EAGER, Settings.parse(props("jwq.jmx", "eager")).jmx());
        assertEquals(Settings.Jmx.OFF, Settings.parse(props("jwq.jmx", " OFF")).jmx());
        assertEquals(Settings.Jmx.AUTO, Settings.parse(props("jwq.jmx", "auto")).jmx());
        assertEquals("off", Settings.parse(props("jwq.jmx", "off")).asProperties().get("jwq.jmx"));
    }

    @Test
    void valuesAreParsed() {
        Settings s = Settings.parse(props("jwq.pin", "false", "jwq.maxWorkers", "64", "jwq.idleTimeout", "5m",
                "jwq.cpuIntensiveThreshold", "0", "jwq.watchdogThreshold", "250us", "jwq.createCooldown", "2h",
                "jwq.defaultAffinityScope", "NUMA", "jwq.blockingSampler", "FALSE"));
        assertFalse(s.pin());
        assertEquals(64, s.maxWorkers());
        assertEquals(TimeUnit.MINUTES.toNanos(5), s.idleTimeoutNanos());
        assertEquals(0, s.cpuIntensiveNanos());
        assertEquals(TimeUnit.MICROSECONDS.toNanos(250), s.watchdogNanos());
        assertEquals(TimeUnit.HOURS.toNanos(2), s.createCooldownNanos());
        assertEquals(AffinityScope.NUMA, s.defaultAffinityScope());
        assertFalse(s.blockingSampler());
    }

    @ParameterizedTest
    @CsvSource({
            "jwq.pin, yes",
            "jwq.maxWorkers, 0",
            "jwq.maxWorkers, -3",
            "jwq.maxWorkers, many",
            "jwq.idleTimeout, 0",
            "jwq.idleTimeout, 10",
            "jwq.idleTimeout, ms",
            "jwq.idleTimeout, 10 days",
            "jwq.cpuIntensiveThreshold, -1ms",
            "jwq.maydayInterval, 0ms",
            "jwq.defaultAffinityScope, default",
            "jwq.defaultAffinityScope, rack",
            "jwq.blockingSampler, 1",
            "jwq.jmx, lazy",
            "jwq.jmx, true",
    })
    void aBadValueIsRefusedNamingTheProperty(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.parse(props(key, value)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(value), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "jwq.maxWorker, jwq.maxWorkers",
            "jwq.PIN, jwq.pin",
            "jwq.idletimeout, jwq.idleTimeout",
            "jwq.watchdogTreshold, jwq.watchdogThreshold",
    })
    void aMisspeltNameIsRefusedNamingItAndTheKnownOne(String key, String known) {
        String problem = Settings.problem(props(key, "1"));
        assertTrue(problem != null && problem.contains(key) && problem.contains("did you mean " + known), problem);
    }

    @Test
    void simulatedCpusTurnPinningOffAndRefuseIt() {
        assertFalse(Settings.parse(props(Cpus.SIM_CPUS, "0-255")).pin());
        String problem = Settings.problem(props(Cpus.SIM_CPUS, "0-255", "jwq.pin", "true"));
        assertTrue(problem != null && problem.contains("jwq.pin") && problem.contains(Cpus.SIM_CPUS), problem);
        assertTrue(Settings.parse(new Properties()).pin());
    }

    @Test
    void otherJwqPropertiesAreNotSettingsAndPass() {
        assertEquals(null, Settings.problem(props("jwq.agent.jar", "x.jar", "jwq.model.skipFlushWaits", "true",
                "jwq.pin", "false")));
        assertEquals(null, Settings.problem(new Properties()));
    }

    @Test
    void aBadValueIsTheProblemTooAndEveryNameParseReadsIsKnown() {
        assertTrue(Settings.problem(props("jwq.idleTimeout", "soon")).contains("jwq.idleTimeout"));
        assertTrue(Settings.NAMES.containsAll(java.util.List.of("jwq.pin", "jwq.maxWorkers", "jwq.idleTimeout",
                "jwq.cpuIntensiveThreshold", "jwq.watchdogThreshold", "jwq.maydayInitialTimeout", "jwq.maydayInterval",
                "jwq.createCooldown", "jwq.defaultAffinityScope", "jwq.blockingSampler", "jwq.jmx")), Settings.NAMES.toString());
        Settings.check(); // this JVM's properties are fine: no exception
    }

    /** The settings as the runtime MXBean shows them read back as the same settings. */
    @Test
    void settingsShownByPropertyNameParseBackToTheSame() {
        Properties p = new Properties();
        p.setProperty("jwq.idleTimeout", "90s");
        p.setProperty("jwq.cpuIntensiveThreshold", "1500us");
        p.setProperty("jwq.watchdogThreshold", "0");
        p.setProperty("jwq.maxWorkers", "64");
        Settings s = Settings.parse(p);
        Properties back = new Properties();
        s.asProperties().forEach((k, v) -> {
            if (!v.equals("no cap")) {
                back.setProperty(k, v);
            }
        });
        assertEquals(s, Settings.parse(back));
        assertEquals("90s", s.asProperties().get("jwq.idleTimeout"));
        assertEquals("1500us", s.asProperties().get("jwq.cpuIntensiveThreshold"));
        assertEquals("no cap", Settings.parse(new Properties()).asProperties().get("jwq.maxWorkers"));
    }
}
