package dev.jwq.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's options (DESIGN 3b), comma-separated after the jar:
 * {@code mode=rewrite|observe|off, include=a.;b., exclude=c., hooks=true|false, report=true|false,
 * names=true|false}.
 * A bad option is an {@link IllegalArgumentException} naming it; premain turns that into one
 * warning and leaves the agent off.
 */
record AgentOptions(Mode mode, List<String> include, List<String> exclude, boolean hooks, boolean report,
                    boolean names) {
    enum Mode { REWRITE, OBSERVE, OFF }

    /** Classes of the JDK and of jwq itself are never rewritten. */
    private static final List<String> ALWAYS_EXCLUDED = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
            "dev/jwq/agent/", "dev/jwq/spi/", "dev/jwq/timer/", "dev/jwq/jfr/", "dev/jwq/jmx/", "dev/jwq/pool/",
            "dev/jwq/cpu/", "dev/jwq/tool/");

    static AgentOptions parse(String args) {
        Mode mode = Mode.REWRITE;
        List<String> include = List.of();
        List<String> exclude = List.of();
        boolean hooks = true;
        boolean report = false;
        boolean names = true;
        if (args != null && !args.isBlank()) {
            for (String option : args.split(",", -1)) {
                int eq = option.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option '" + option + "' is not key=value");
                }
                String key = option.substring(0, eq).trim();
                String value = option.substring(eq + 1).trim();
                switch (key) {
                    case "mode" -> mode = mode(value);
                    case "include" -> include = prefixes(key, value);
                    case "exclude" -> exclude = prefixes(key, value);
                    case "hooks" -> hooks = bool(key, value);
                    case "report" -> report = bool(key, value);
                    case "names" -> names = bool(key, value);
                    default -> throw new IllegalArgumentException("unknown option '" + key
                            + "' (known: mode, include, exclude, hooks, report, names)");
                }
            }
        }
        return new AgentOptions(mode, include, exclude, hooks, report, names);
    }

    private static Mode mode(String value) {
        return switch (value) {
            case "rewrite" -> Mode.REWRITE;
            case "observe" -> Mode.OBSERVE;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("option mode=" + value + " is not rewrite, observe or off");
        };
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option " + key + "=" + value + " is not true or false");
        };
    }

    /** "com.acme.;org.foo." as internal-name prefixes "com/acme/", "org/foo/". */
    private static List<String> prefixes(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String p : value.split(";", -1)) {
            String t = p.trim();
            if (t.isEmpty() || !t.matches("[\\p{javaJavaIdentifierPart}.$]+")) {
                throw new IllegalArgumentException("option " + key + "=" + value + " has a bad class-name prefix '" + p + "'");
            }
            out.add(t.replace('.', '/'));
        }
        return List.copyOf(out);
    }

    /** Whether the class with internal name {@code name} may be rewritten. */
    boolean covers(String name) {
        for (String p : ALWAYS_EXCLUDED) {
            if (name.startsWith(p)) {
                return false;
            }
        }
        if (name.startsWith("dev/jwq/") && !name.startsWith("dev/jwq/samples/")) {
            return false; // jwq's own code (the runtime, the tool, the benchmarks), but its samples are applications
        }
        for (String p : exclude) {
            if (name.startsWith(p)) {
                return false;
            }
        }
        if (include.isEmpty()) {
            return true;
        }
        for (String p : include) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
