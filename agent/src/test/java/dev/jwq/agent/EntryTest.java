package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The version check of the jar's Java 8 entry points ({@link Entry}). */
class EntryTest {
    @Test
    void readsTheFeatureVersionOfEveryNamingScheme() {
        assertEquals(8, Entry.featureVersion("1.8"));
        assertEquals(17, Entry.featureVersion("17"));
        assertEquals(21, Entry.featureVersion("21"));
        assertEquals(25, Entry.featureVersion("25"));
        assertEquals(26, Entry.featureVersion("26.0.1"));
    }

    /** A format not seen yet must not keep the agent off on a JVM that could run it. */
    @Test
    void anUnreadableVersionCountsAsNewEnough() {
        assertEquals(Integer.MAX_VALUE, Entry.featureVersion(null));
        assertEquals(Integer.MAX_VALUE, Entry.featureVersion(""));
        assertEquals(Integer.MAX_VALUE, Entry.featureVersion("ea"));
        assertEquals(Integer.MAX_VALUE, Entry.featureVersion("99999999999"));
    }

    @Test
    void thisJvmIsNewEnough() {
        assertEquals(Runtime.version().feature(), Entry.featureVersion(System.getProperty("java.specification.version")));
        assertTrue(Runtime.version().feature() >= Entry.REQUIRED);
    }
}
