package dev.jwq.jfr;

import java.util.Locale;
import java.util.Set;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MetadataDefinition;
import jdk.jfr.Name;
import jdk.jfr.SettingControl;
import jdk.jfr.Timespan;

/**
 * The {@code totalThreshold} setting of {@link WorkExecution}: a timespan written as JFR writes
 * them ({@code "0 ns"}, {@code "1 ms"}, {@code "2 s"}, {@code "infinity"}). Several recordings
 * combine to the smallest value, so each gets at least the items it asked for. A value that
 * does not parse is ignored, as JFR's own settings do.
 */
@MetadataDefinition
@Name("dev.jwq.settings.TotalThreshold")
@Label("Total Threshold")
@Description("Record work items whose queue latency plus run time reaches this timespan")
@Timespan
public final class TotalThresholdSetting extends SettingControl {
    /**
     * Used when no settings file names the event (e.g. {@code -XX:StartFlightRecording} with only
     * the JDK's default.jfc): the same as jwq.jfc, so recording never costs a commit per item
     * unless asked for.
     */
    static final String DEFAULT_VALUE = "1 ms";

    private volatile long thresholdNanos = 1_000_000;   // V: read at every commit, written when a recording starts or stops
    private volatile String value = DEFAULT_VALUE;

    public TotalThresholdSetting() {
    }

    boolean accepts(long totalNanos) {
        return totalNanos >= thresholdNanos;
    }

    @Override
    public String combine(Set<String> values) {
        String best = null;
        long min = Long.MAX_VALUE;
        for (String v : values) {
            long nanos = parse(v);
            if (nanos >= 0 && (best == null || nanos < min)) {
                min = nanos;
                best = v;
            }
        }
        return best != null ? best : DEFAULT_VALUE;
    }

    @Override
    public void setValue(String v) {
        long nanos = parse(v);
        if (nanos >= 0) {
            thresholdNanos = nanos;
            value = v;
        }
    }

    @Override
    public String getValue() {
        return value;
    }

    /** Nanoseconds of a JFR timespan text, {@code Long.MAX_VALUE} for infinity, or -1 if it does not parse. */
    static long parse(String text) {
        if (text == null) {
            return -1;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("infinity")) {
            return Long.MAX_VALUE;
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
        long unit = switch (t.substring(i).trim()) {
            case "ns", "" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> -1L;
        };
        if (unit < 0) {
            return -1;
        }
        return n > Long.MAX_VALUE / unit ? Long.MAX_VALUE : n * unit;
    }
}
