package dev.jwq.tool;

import java.util.Locale;

/** Human-readable nanoseconds: {@code 850ns}, {@code 12.3us}, {@code 4.56ms}, {@code 1.20s}. */
final class Durations {
    private Durations() {
    }

    static String format(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return three(nanos / 1e3) + "us";
        }
        if (nanos < 1_000_000_000) {
            return three(nanos / 1e6) + "ms";
        }
        return three(nanos / 1e9) + "s";
    }

    /** Three significant digits. */
    private static String three(double v) {
        String f = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, f, v);
    }
}
