package dev.jwq.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The premain's shortcut: only a process with a {@code jwq.*} property has its settings checked
 * (and loads them); a bad or misspelt one is always such a name (end to end:
 * {@code LoadersAndFailuresIT} in the agent).
 */
class SettingsCheckTest {
    @Test
    void aProcessWithoutJwqPropertiesHasNothingToCheck() {
        Properties p = new Properties();
        p.setProperty("java.version", "25");
        p.setProperty("jwqx.pin", "maybe");
        p.setProperty("JWQ.pin", "maybe"); // the settings read lower-case names only
        assertFalse(SettingsCheck.namesJwqProperty(p));
    }

    @Test
    void anyJwqNameIsChecked() {
        for (String name : new String[] {"jwq.pin", "jwq.maxWorker", "jwq.sim.cpus", "jwq."}) {
            Properties p = new Properties();
            p.setProperty("user.dir", "/");
            p.setProperty(name, "x");
            assertTrue(SettingsCheck.namesJwqProperty(p), name);
        }
    }

    @Test
    void aJwqNameAmongTheDefaultsCounts() {
        Properties defaults = new Properties();
        defaults.setProperty("jwq.pin", "maybe");
        assertTrue(SettingsCheck.namesJwqProperty(new Properties(defaults)));
    }
}
