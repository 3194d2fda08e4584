package dev.jwq;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The run-time settings of DESIGN §3b: system properties {@code jwq.*}, read once at start and
 * validated. A bad value, or an unknown {@code jwq.*} name close to a known one (a misspelling
 * such as {@code jwq.maxWorker}), makes every call that would start the engine throw an
 * {@link IllegalArgumentException} naming the property ({@link #check()}): the engine's classes
 * themselves always initialise (with the defaults), so the failure never turns into a
 * {@code NoClassDefFoundError} later. The jwq agent asks for {@link #problem()} in its
 * {@code premain} and stays off when there is one.
 *
 * <p>Durations are written {@code 10ms}, {@code 30s}, {@code 5m} (also {@code us}, {@code h});
 * {@code 0} turns off what allows it.
 *
 * @param pin                   pin bound workers to their CPU
 * @param maxWorkers            cap on workers, or 0 for no cap
 * @param idleTimeoutNanos      surplus idle workers retire after this
 * @param cpuIntensiveNanos     an item using this much CPU stops counting; 0: detection off
 * @param watchdogNanos         stall report threshold; 0: watchdog off
 * @param maydayInitialNanos    first mayday after failed creation
 * @param maydayIntervalNanos   mayday repeat
 * @param createCooldownNanos   retry after a failed worker creation
 * @param defaultAffinityScope  scope of unbound workqueues that ask for DEFAULT
 * @param blockingSampler       sample worker thread states to learn about blocking
 * @param workers               the worker model: {@code auto}, {@code virtual} or {@code platform}
 * @param powerEfficient        POWER_EFFICIENT workqueues are unbound ({@code workqueue.power_efficient})
 * @param jmx                   when workqueues, pools and the runtime are exported as MXBeans
 */
record Settings(boolean pin, int maxWorkers, long idleTimeoutNanos, long cpuIntensiveNanos, long watchdogNanos,
                long maydayInitialNanos, long maydayIntervalNanos, long createCooldownNanos,
                AffinityScope defaultAffinityScope, boolean blockingSampler, Workers workers, boolean powerEfficient,
                Jmx jmx) {

    /** {@code jwq.workers}: which threads run workers. */
    enum Workers {
        /** Virtual workers on carriers when the JDK grants access ({@link VirtualThreadAccess}), else platform workers. */
        AUTO,
        /** Virtual workers on carriers; start-up fails, naming the reason, when the JDK does not grant access. */
        VIRTUAL,
        /** A platform thread per worker, pinned as its pool says. */
        PLATFORM
    }

    /** {@code jwq.jmx}: when the MXBeans are registered ({@link JmxExport}). */
    enum Jmx {
        /**
         * Once a platform MBean server exists, made by the application, a framework, a JMX agent
         * or an attaching tool: jwq never makes it (it costs a process 12-15 MiB).
         */
        AUTO,
        /** At once: the first workqueue or pool makes the platform MBean server if nobody has. */
        EAGER,
        /** Never. */
        OFF
    }

    /** Every property name {@link #parse} reads, in its order. */
    static final Set<String> NAMES = names();

    /**
     * Why this process's {@code jwq.*} properties are refused (the message names the property),
     * or null. Computed before {@link #CURRENT}, which is then the defaults.
     */
    private static final String PROBLEM = problem(System.getProperties());

    /** The settings of this process, from the system properties; the defaults when {@link #PROBLEM} is set. */
    static final Settings CURRENT = PROBLEM == null ? parse(System.getProperties()) : parse(new Properties());

    /**
     * Throws an {@link IllegalArgumentException} naming the bad {@code jwq.*} property, a new one
     * on every call, if this process has one. Called first by every entry point that starts the
     * engine.
     */
    static void check() {
        if (PROBLEM != null) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    /** Why this process's {@code jwq.*} properties are refused, or null: for the agent's premain. */
    static String problem() {
        return PROBLEM;
    }

    /**
     * Why the {@code jwq.*} entries of {@code p} are refused, or null: a bad value, else an
     * unknown name close to a known one (edit distance at most 2, case ignored). Other unknown
     * {@code jwq.*} names (the test and tool properties) are not jwq settings and pass.
     */
    static String problem(Properties p) {
        try {
            parse(p);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("jwq.") || NAMES.contains(key)) {
                continue;
            }
            for (String known : NAMES) {
                if (distance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT)) <= 2) {
                    return "jwq: system property " + key + " is not a jwq setting (did you mean " + known + "?)";
                }
            }
        }
        return null;
    }

    /** Levenshtein distance, for names of a few dozen characters. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The names {@link #parse} reads, found by letting it read an empty set that records them. */
    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        parse(new Properties() {
            @Override
            public String getProperty(String key) {
                names.add(key);
                return null;
            }

            @Override
            public String getProperty(String key, String defaultValue) {
                names.add(key);
                return defaultValue;
            }
        });
        return java.util.Collections.unmodifiableSet(names);
    }

    /** Parses and validates the {@code jwq.*} entries of {@code p}; defaults for the rest. */
    static Settings parse(Properties p) {
        return new Settings(
                pin(p),
                count(p, "jwq.maxWorkers"),
                duration(p, "jwq.idleTimeout", "300s", false),
                duration(p, "jwq.cpuIntensiveThreshold", "10ms", true),
                duration(p, "jwq.watchdogThreshold", "30s", true),
                duration(p, "jwq.maydayInitialTimeout", "10ms", false),
                duration(p, "jwq.maydayInterval", "100ms", false),
                duration(p, "jwq.createCooldown", "1s", false),
                scope(p, "jwq.defaultAffinityScope", "cache_shard"),
                bool(p, "jwq.blockingSampler", true),
                choice(p, "jwq.workers", Workers.class),
                bool(p, "jwq.powerEfficient", false),
                choice(p, "jwq.jmx", Jmx.class));
    }

    /** The settings in force by property name, durations written as they are parsed ({@code 300s}). */
    Map<String, String> asProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jwq.pin", String.valueOf(pin));
        m.put("jwq.maxWorkers", maxWorkers == 0 ? "no cap" : String.valueOf(maxWorkers));
        m.put("jwq.idleTimeout", format(idleTimeoutNanos));
        m.put("jwq.cpuIntensiveThreshold", format(cpuIntensiveNanos));
        m.put("jwq.watchdogThreshold", format(watchdogNanos));
        m.put("jwq.maydayInitialTimeout", format(maydayInitialNanos));
        m.put("jwq.maydayInterval", format(maydayIntervalNanos));
        m.put("jwq.createCooldown", format(createCooldownNanos));
        m.put("jwq.defaultAffinityScope", defaultAffinityScope.name().toLowerCase(Locale.ROOT));
        m.put("jwq.blockingSampler", String.valueOf(blockingSampler));
        m.put("jwq.workers", workers.name().toLowerCase(Locale.ROOT));
        m.put("jwq.powerEfficient", String.valueOf(powerEfficient));
        m.put("jwq.jmx", jmx.name().toLowerCase(Locale.ROOT));
        return m;
    }

    /** A duration in the largest unit that writes it exactly: {@code 0}, {@code 10ms}, {@code 300s}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        long[] sizes = {TimeUnit.HOURS.toNanos(1), TimeUnit.MINUTES.toNanos(1), TimeUnit.SECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(1)};
        String[] units = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < sizes.length; i++) {
            if (nanos % sizes[i] == 0) {
                return nanos / sizes[i] + units[i];
            }
        }
        return nanos + "ns";
    }

    private static boolean bool(Properties p, String key, boolean dflt) {
        String v = p.getProperty(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /**
     * {@code jwq.pin}: on by default, off by default while {@link Cpus#SIM_CPUS} simulates CPUs
     * that do not exist, and refused on then (a pin to a missing CPU fails or lands elsewhere).
     */
    private static boolean pin(Properties p) {
        boolean simulating = p.getProperty(Cpus.SIM_CPUS) != null;
        boolean pin = bool(p, "jwq.pin", !simulating);
        if (pin && simulating) {
            throw bad("jwq.pin", p.getProperty("jwq.pin"), "false while " + Cpus.SIM_CPUS + " simulates CPUs");
        }
        return pin;
    }

    private static int count(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, v, "a positive whole number (leave it unset for no cap)");
    }

    /**
     * One of {@code type}'s constants, named in any case by property {@code key} (unset: the
     * first constant, the default); anything else is refused naming the choices.
     */
    private static <E extends Enum<E>> E choice(Properties p, String key, Class<E> type) {
        E[] choices = type.getEnumConstants();
        String v = p.getProperty(key, choices[0].name()).trim();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < choices.length; i++) {
            if (choices[i].name().equalsIgnoreCase(v)) {
                return choices[i];
            }
            names.append(i == 0 ? "" : i == choices.length - 1 ? " or " : ", ").append(choices[i].name().toLowerCase(Locale.ROOT));
        }
        throw bad(key, v, names.toString());
    }

    private static AffinityScope scope(Properties p, String key, String dflt) {
        String v = p.getProperty(key, dflt).trim();
        try {
            AffinityScope s = AffinityScope.valueOf(v.toUpperCase(Locale.ROOT));
            if (s != AffinityScope.DEFAULT) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw bad(key, v, "one of cpu, smt, cache, cache_shard, numa, system");
    }

    /** Parses a duration such as {@code 10ms}; {@code zeroAllowed} says whether 0 (off) is valid. */
    static long duration(Properties p, String key, String dflt, boolean zeroAllowed) {
        String v = p.getProperty(key, dflt).trim().toLowerCase(Locale.ROOT);
        String expected = zeroAllowed ? "a duration such as 10ms, 30s or 5m, or 0 for off"
                : "a positive duration such as 10ms, 30s or 5m";
        if (v.equals("0")) {
            if (zeroAllowed) {
                return 0;
            }
            throw bad(key, v, expected);
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0 || i == v.length()) {
            throw bad(key, v, expected);
        }
        TimeUnit unit = switch (v.substring(i)) {
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            default -> throw bad(key, v, expected);
        };
        long amount;
        try {
            amount = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException e) {
            throw bad(key, v, expected);
        }
        if (amount == 0 && !zeroAllowed) {
            throw bad(key, v, expected);
        }
        long nanos = unit.toNanos(amount);
        if (nanos == Long.MAX_VALUE) {
            throw bad(key, v, "a duration under 292 years");
        }
        return nanos;
    }

    private static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("jwq: system property " + key + "=\"" + value + "\" is not valid: expected "
                + expected);
    }
}
