package dev.jwq.tool;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the tool's output and error streams go to a terminal: {@code top} redraws in place
 * and the progress line rewrites itself only there; a file or a pipe gets plain lines.
 *
 * @param out standard output is a terminal
 * @param err standard error is a terminal
 */
record Terminal(boolean out, boolean err) {
    /** Neither stream is a terminal (tests, pipes, files). */
    static final Terminal NONE = new Terminal(false, false);

    /** This process's streams. {@code TERM=dumb} counts as no terminal: it cannot move the cursor. */
    static Terminal detect() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return NONE;
        }
        Boolean out = linuxTty(1);
        Boolean err = linuxTty(2);
        boolean console = out == null || err == null ? consoleIsTerminal() : false;
        return new Terminal(out != null ? out : console, err != null ? err : console);
    }

    /** Linux: whether file descriptor {@code fd} is a terminal device; null where /proc cannot tell. */
    private static Boolean linuxTty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Elsewhere, the console's view of standard input and output: {@code Console.isTerminal()}
     * on JDK 22+ (where {@code System.console()} is never null), a console at all on JDK 21.
     */
    private static boolean consoleIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is null unless both streams are a terminal
        }
    }
}
