package dev.jwq;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps what the runtime logs during a test ({@code System.Logger} "dev.jwq", through JUL) and
 * what dies in its threads (the default uncaught exception handler's "Exception in thread")
 * out of the build's output while the test passes: the tests provoke warnings and failing items
 * on purpose, and a passing build that prints WARNING lines and stack traces looks like a
 * failing one. A failing test gets everything captured since the previous test printed with
 * its failure. Registered for every test class by JUnit's extension auto-detection
 * ({@code META-INF/services}, {@code junit-platform.properties}); a test that installs its own
 * handler or default handler still gets what it installs.
 */
public final class QuietLogs implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    /** What was captured, in order: formatted log records and uncaught exceptions. */
    private final List<String> captured = new ArrayList<>(); // guarded by itself
    private Handler[] consoleHandlers;
    private Thread.UncaughtExceptionHandler savedDefault;

    @Override
    public void beforeAll(ExtensionContext context) {
        Logger root = Logger.getLogger("");
        consoleHandlers = root.getHandlers();
        for (Handler h : consoleHandlers) {
            root.removeHandler(h);
        }
        SimpleFormatter format = new SimpleFormatter();
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    keep(format.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        savedDefault = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            keep("Exception in thread \"" + thread.getName() + "\" " + trace);
        });
    }

    @Override
    public void afterEach(ExtensionContext context) {
        release(context.getExecutionException().isPresent(), context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        release(context.getExecutionException().isPresent(), context.getDisplayName());
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        for (Handler h : consoleHandlers) {
            root.addHandler(h);
        }
        Thread.setDefaultUncaughtExceptionHandler(savedDefault);
    }

    private void keep(String text) {
        synchronized (captured) {
            captured.add(text);
        }
    }

    /** Prints what was captured if {@code failed}, and forgets it either way. */
    private void release(boolean failed, String test) {
        synchronized (captured) {
            if (failed && !captured.isEmpty()) {
                System.err.println("--- logged while " + test + " ran (it failed) ---");
                captured.forEach(System.err::print);
                System.err.println("--- end of " + test + "'s log ---");
            }
            captured.clear();
        }
    }
}
