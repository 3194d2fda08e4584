package dev.jwq.jfr;

import java.util.Set;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MetadataDefinition;
import jdk.jfr.Name;
import jdk.jfr.SettingControl;

/**
 * The {@code sampleOneIn} setting of {@link WorkExecution}: record one item in N, chosen at
 * random when the item is queued ({@link Tracepoints#queueStamp()}), N rounded up to a power of
 * two. A uniform sample keeps percentiles of queue latency and run time unbiased while the items
 * not chosen cost no clock read. Several recordings combine to the smallest N, so each gets at
 * least the items it asked for; a value that does not parse is ignored, as JFR's own settings do.
 */
@MetadataDefinition
@Name("dev.jwq.settings.SampleOneIn")
@Label("Sample One In")
@Description("Record one work item in this many, chosen at random when queued (1: every item)")
public final class SampleSetting extends SettingControl {
    /**
     * Used when no settings file names the event (e.g. only the JDK's default.jfc): the same as
     * jwq.jfc, so a recording never costs a clock read per item unless asked for.
     */
    static final String DEFAULT_VALUE = "1024";

    /** N - 1 for the N in force: an item is sampled when {@code random & mask == 0}. */
    private static volatile int mask = 1023;   // V: read at every queueing, written when recordings change

    private volatile String value = DEFAULT_VALUE;

    public SampleSetting() {
    }

    static int mask() {
        return mask;
    }

    @Override
    public String combine(Set<String> values) {
        String best = null;
        int min = Integer.MAX_VALUE;
        for (String v : values) {
            int n = parse(v);
            if (n > 0 && n < min) {
                min = n;
                best = v;
            }
        }
        return best != null ? best : DEFAULT_VALUE;
    }

    @Override
    public void setValue(String v) {
        int n = parse(v);
        if (n > 0) {
            mask = roundUpToPowerOfTwo(n) - 1;
            value = v;
        }
    }

    @Override
    public String getValue() {
        return value;
    }

    /** A positive count, or -1 if {@code text} is not one. */
    static int parse(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            return n > 0 ? n : -1;
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    static int roundUpToPowerOfTwo(int n) {
        return n <= 1 ? 1 : n > 1 << 30 ? 1 << 30 : Integer.highestOneBit(n - 1) << 1;
    }
}
