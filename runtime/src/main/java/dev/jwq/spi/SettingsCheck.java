package dev.jwq.spi;

import java.util.Properties;

/**
 * Validates the {@code jwq.*} system properties without starting anything: the jwq agent's
 * {@code premain} calls it before it rewrites a class, so that a bad or misspelt property turns
 * the agent off with one warning instead of failing the application's executors later.
 */
public final class SettingsCheck {
    private SettingsCheck() {}

    /**
     * Why this process's {@code jwq.*} properties are refused (a bad value, or an unknown name
     * close to a known one), naming the property; null if they are fine. Loads no engine class.
     */
    public static String problem() {
        return namesJwqProperty(System.getProperties()) ? RuntimeSide.get().settingsProblem() : null;
    }

    /**
     * Whether {@code p} has a {@code jwq.*} name. Without one nothing can be refused (the
     * settings read only such names, and only such names are checked for misspellings), so the
     * runtime's settings need not load: in a premain that is about a millisecond and a half of
     * every start-up (docs/agent.md, "Start-up").
     */
    static boolean namesJwqProperty(Properties p) {
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("jwq.")) {
                return true;
            }
        }
        return false;
    }
}
