package dev.jwq.tool;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** wq_monitor's REGEX arguments: a workqueue is shown when any pattern is found in its name; none shows all. */
final class NamePatterns {
    private NamePatterns() {
    }

    /** null when {@code regexes} is empty (everything matches). A bad pattern is named in the message. */
    static Pattern compile(String command, List<String> regexes) throws ToolException {
        if (regexes.isEmpty()) {
            return null;
        }
        for (String r : regexes) {
            try {
                Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw new ToolException(Main.EXIT_USAGE, command + ": bad pattern '" + r + "': " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
        }
        return Pattern.compile(regexes.stream().map(r -> "(?:" + r + ")").collect(Collectors.joining("|")));
    }

    static boolean matches(Pattern filter, String name) {
        return filter == null || filter.matcher(name).find();
    }

    /** {@code 'a'} or {@code 'a' or 'b'}, for messages. */
    static String quoted(List<String> regexes) {
        return regexes.stream().map(r -> "'" + r + "'").collect(Collectors.joining(" or "));
    }
}
