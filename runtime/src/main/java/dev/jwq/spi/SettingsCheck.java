package dev.jwq.spi;

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
        return RuntimeSide.get().settingsProblem();
    }
}
