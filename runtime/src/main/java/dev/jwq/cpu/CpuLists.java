package dev.jwq.cpu;

import java.util.BitSet;

/**
 * Linux CPU lists, the format of {@code Cpus_allowed_list}, {@code thread_siblings_list},
 * {@code shared_cpu_list} and {@code cpulist}: {@code 0-3,8,10-11}. Internal.
 */
public final class CpuLists {
    private CpuLists() {}

    /**
     * Parses a CPU list such as {@code 0-3,8,10-11}; blank parts are skipped.
     *
     * @throws IllegalArgumentException naming the list when it is not one
     */
    public static BitSet parse(String list) {
        BitSet set = new BitSet();
        for (String part : list.split(",")) {
            part = part.trim();
            if (part.isEmpty()) {
                continue;
            }
            try {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    set.set(Integer.parseInt(part));
                } else {
                    int from = Integer.parseInt(part.substring(0, dash).trim());
                    int to = Integer.parseInt(part.substring(dash + 1).trim());
                    if (to < from) {
                        throw new IllegalArgumentException("not a CPU list: \"" + list + "\" (range " + part + " runs backwards)");
                    }
                    set.set(from, to + 1);
                }
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CPU list: \"" + list + "\"", e);
            }
        }
        return set;
    }

    /** Formats a CPU set the way Linux does: {@code 0-3,8,10-11}; empty for an empty set. */
    public static String format(BitSet cpus) {
        StringBuilder sb = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(from);
            if (to > from) {
                sb.append('-').append(to);
            }
            from = cpus.nextSetBit(to + 1);
        }
        return sb.toString();
    }
}
