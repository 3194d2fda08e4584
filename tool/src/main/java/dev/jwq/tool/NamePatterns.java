package dev.jwq.tool;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** wq_monitor's REGEX arguments: a workqueue is shown when any pattern is found in its name; none shows all. */
final class NamePatterns {
    private NamePatterns() {
    }

    /** null when {@code regexes} is empty (everything matches). */
    static Pattern compile(String command, List<String> regexes) throws ToolException {
        if (regexes.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(String.join("|", regexes));
        } catch (PatternSyntaxException e) {
            throw new ToolException(Main.EXIT_USAGE, command + ": bad pattern: " + e.getDescription());
        }
    }

    static boolean matches(Pattern filter, String name) {
        return filter == null || filter.matcher(name).find();
    }
}
