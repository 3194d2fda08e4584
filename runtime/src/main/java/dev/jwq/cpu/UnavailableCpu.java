package dev.jwq.cpu;

import java.util.BitSet;

/** The fallback: no native calls (JDK 21, not Linux, or the FFM set-up failed). */
class UnavailableCpu extends NativeCpu { // not final: tests subclass it
    private final String reason; // I

    UnavailableCpu(String reason) {
        this.reason = reason;
    }

    @Override
    public int currentCpu() {
        return -1;
    }

    @Override
    public BitSet allowedCpus() {
        return null;
    }

    @Override
    boolean pin(BitSet cpus) {
        return fail(reason);
    }

    @Override
    public boolean raiseCurrentThreadPriority() {
        return fail(reason);
    }

    @Override
    public String unavailableReason() {
        return reason;
    }

    @Override
    public String toString() {
        return "NativeCpu[unavailable: " + reason + "]";
    }
}
