package dev.jwq;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The run-time settings of DESIGN §3b: system properties {@code jwq.*}, read once at start and
 * validated. A bad value stops start-up with an {@link IllegalArgumentException} naming the
 * property (surfacing as the cause of the first jwq class's initialisation error).
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
 */
record Settings(boolean pin, int maxWorkers, long idleTimeoutNanos, long cpuIntensiveNanos, long watchdogNanos,
                long maydayInitialNanos, long maydayIntervalNanos, long createCooldownNanos,
                AffinityScope defaultAffinityScope, boolean blockingSampler, Workers workers, boolean powerEfficient) {

    /** {@code jwq.workers}: which threads run workers. */
    enum Workers {
        /** Virtual workers on carriers when the JDK grants access ({@link VirtualThreadAccess}), else platform workers. */
        AUTO,
        /** Virtual workers on carriers; start-up fails, naming the reason, when the JDK does not grant access. */
        VIRTUAL,
        /** A platform thread per worker, pinned as its pool says. */
        PLATFORM
    }

    /** The settings of this process, from the system properties. */
    static final Settings CURRENT = parse(System.getProperties());

    /** Parses and validates the {@code jwq.*} entries of {@code p}; defaults for the rest. */
    static Settings parse(Properties p) {
        return new Settings(
                bool(p, "jwq.pin", true),
                count(p, "jwq.maxWorkers"),
                duration(p, "jwq.idleTimeout", "300s", false),
                duration(p, "jwq.cpuIntensiveThreshold", "10ms", true),
                duration(p, "jwq.watchdogThreshold", "30s", true),
                duration(p, "jwq.maydayInitialTimeout", "10ms", false),
                duration(p, "jwq.maydayInterval", "100ms", false),
                duration(p, "jwq.createCooldown", "1s", false),
                scope(p, "jwq.defaultAffinityScope", "cache_shard"),
                bool(p, "jwq.blockingSampler", true),
                workers(p, "jwq.workers"),
                bool(p, "jwq.powerEfficient", false));
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

    private static Workers workers(Properties p, String key) {
        String v = p.getProperty(key, "auto").trim();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "auto" -> Workers.AUTO;
            case "virtual" -> Workers.VIRTUAL;
            case "platform" -> Workers.PLATFORM;
            default -> throw bad(key, v, "auto, virtual or platform");
        };
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
