package dev.jwq.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Timespan;
import jdk.jfr.ValueDescriptor;
import org.junit.jupiter.api.Test;

/** What Mission Control's Event Browser shows: names, labels, categories, descriptions, units. */
class EventMetadataTest {
    static final List<Class<? extends Event>> EVENTS = RecordingGate.EventTypes.ALL;

    /** Fields that are timespans in nanoseconds; every other long/int field is a plain number. */
    static final Map<String, Set<String>> TIMESPANS = Map.of(
            EventNames.WORK_ACTIVATED, Set.of("inactiveTime"),
            EventNames.WORK_EXECUTION, Set.of("queueLatency"),
            EventNames.POOL_STALL, Set.of("stalledFor"),
            EventNames.CPU_INTENSIVE, Set.of("cpuTime"),
            EventNames.WORKQUEUE_STATISTICS, Set.of("cpuTime"));

    @Test
    void everyEventHasItsNameLabelCategoryAndDescription() {
        for (Class<? extends Event> c : EVENTS) {
            EventType t = EventType.getEventType(c);
            assertEquals(EventNames.PREFIX + c.getSimpleName(), t.getName(), c.getName());
            assertNotNull(t.getLabel(), t.getName());
            assertNotNull(t.getDescription(), t.getName());
            assertEquals("jwq", t.getCategoryNames().get(0), t.getName());
            assertEquals(2, t.getCategoryNames().size(), t.getName());
            for (ValueDescriptor f : t.getFields()) {
                assertNotNull(f.getLabel(), t.getName() + "." + f.getName() + " has no label");
            }
        }
    }

    @Test
    void timespansCarryTheirUnitAndNothingElseDoes() {
        for (Class<? extends Event> c : EVENTS) {
            EventType t = EventType.getEventType(c);
            Set<String> expected = TIMESPANS.getOrDefault(t.getName(), Set.of());
            for (ValueDescriptor f : t.getFields()) {
                if (Set.of("startTime", "duration", "eventThread", "stackTrace").contains(f.getName())) {
                    continue;
                }
                Timespan ts = f.getAnnotation(Timespan.class);
                if (expected.contains(f.getName())) {
                    assertNotNull(ts, t.getName() + "." + f.getName());
                    assertEquals(Timespan.NANOSECONDS, ts.value());
                } else {
                    assertEquals(null, ts, t.getName() + "." + f.getName());
                }
                assertEquals(null, f.getAnnotation(DataAmount.class), t.getName() + "." + f.getName());
            }
        }
    }

    @Test
    void hotEventsHaveNoStackTraceAndQueueingIsOffByDefault() {
        for (Class<? extends Event> c : EVENTS) {
            assertEquals("false", defaultOf(c, "stackTrace"), c.getName());
        }
        // Defaults apply to a recording whose settings do not name the event (only default.jfc):
        // they must be as cheap as jwq.jfc.
        assertEquals("false", defaultOf(WorkQueued.class, "enabled"));
        assertEquals("false", defaultOf(WorkActivated.class, "enabled"));
        assertEquals("1024", defaultOf(WorkExecution.class, "sampleOneIn"));
        assertEquals("10 ms", defaultOf(WorkerSleeping.class, "threshold"));
        // Periodic once registered by the runtime and Flight Recorder is initialised (a recording starts).
        Tracepoints.registerStatistics(TracepointsRecordingTest.EMPTY);
        FlightRecorder.getFlightRecorder();
        assertEquals("1 s", defaultOf(WorkqueueStatistics.class, "period"));
        assertEquals("1 s", defaultOf(PoolStatistics.class, "period"));
    }

    @Test
    void workExecutionHasTheSamplingSetting() {
        EventType t = EventType.getEventType(WorkExecution.class);
        assertTrue(t.getSettingDescriptors().stream().anyMatch(s -> s.getName().equals("sampleOneIn")
                && s.getTypeName().equals("dev.jwq.settings.SampleOneIn")), () -> t.getSettingDescriptors().toString());
    }

    static String defaultOf(Class<? extends Event> c, String setting) {
        return EventType.getEventType(c).getSettingDescriptors().stream().filter(s -> s.getName().equals(setting))
                .findFirst().orElseThrow(() -> new AssertionError(c + " has no setting " + setting)).getDefaultValue();
    }

    @Test
    void theJfcNamesEveryRuntimeEventWithValidSettings() throws Exception {
        Configuration jfc;
        try (Reader r = new InputStreamReader(Tracepoints.class.getResourceAsStream("/dev/jwq/jwq.jfc"),
                StandardCharsets.UTF_8)) {
            jfc = Configuration.create(r);
        }
        assertEquals("jwq", jfc.getLabel());
        Map<String, String> s = jfc.getSettings();
        for (Class<? extends Event> c : EVENTS) {
            String name = EventType.getEventType(c).getName();
            assertTrue(s.containsKey(name + "#enabled"), name + " missing from jwq.jfc");
        }
        assertEquals("1024", s.get(EventNames.WORK_EXECUTION + "#sampleOneIn"));
        assertEquals("true", s.get(EventNames.WORK_EXECUTION + "#enabled"));
        assertEquals("false", s.get(EventNames.WORK_QUEUED + "#enabled"));
        assertEquals("1 s", s.get(EventNames.WORKQUEUE_STATISTICS + "#period"));
        Set<String> registered = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .map(EventType::getName).collect(Collectors.toSet());
        for (Class<? extends Event> c : EVENTS) {
            assertTrue(registered.contains(EventType.getEventType(c).getName()));
        }
    }
}
