package dev.jwq;

import java.util.ResourceBundle;

/**
 * The runtime's {@link System.Logger} {@code "dev.jwq"}, asked of {@link System#getLogger} only
 * when something is first logged: getting a logger initialises the logging backend
 * ({@code java.util.logging} reads its configuration; measured: 0.7 MiB of heap and 20 classes),
 * which a process jwq never has to warn must not pay at start-up. Classes keep their
 * {@code static final System.Logger LOG}, set to {@link #LOG}. Being a {@code System.Logger}
 * itself, this class is skipped by the backend's caller inference, so a record still names the
 * class and method that logged.
 */
final class Log implements System.Logger {
    /** The logger every class of the runtime logs to. */
    static final System.Logger LOG = new Log();

    private static final class Backend {
        static final System.Logger LOGGER = System.getLogger("dev.jwq");
    }

    private Log() {}

    @Override
    public String getName() {
        return "dev.jwq";
    }

    @Override
    public boolean isLoggable(Level level) {
        return Backend.LOGGER.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        Backend.LOGGER.log(level, bundle, msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        Backend.LOGGER.log(level, bundle, format, params);
    }
}
