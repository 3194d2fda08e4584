package dev.jwq;

import java.util.List;

/**
 * Every live workqueue ({@code workqueues}, the kernel's list), for freezing, dumps and
 * management. Weakly held: a workqueue that nobody references and that has nothing in flight
 * (an item in flight is referenced from its pool) is garbage like any idle executor; termination
 * unregisters it at once.
 *
 * <p>Tags (the package legend): V; Z ({@code FREEZE_LOCK}, taken before a workqueue's mutex).
 */
final class WorkqueueRegistry {
    private static final WeakIdentitySet<Workqueue> LIVE = new WeakIdentitySet<>(); // V
    private static final Object FREEZE_LOCK = new Object();
    private static boolean freezing; // Z: between freeze() and thaw() ({@code workqueue_freezing})

    private WorkqueueRegistry() {}

    /** A new workqueue; a FREEZABLE one created while frozen starts frozen. */
    static void register(Workqueue wq) {
        synchronized (FREEZE_LOCK) {
            LIVE.add(wq);
            if (freezing && wq.flags().contains(WqFlag.FREEZABLE)) {
                wq.setFrozen(true);
            }
        }
        // After joining LIVE (and leaving it, below): JmxExport's catch-up reads LIVE.
        JmxExport.workqueueCreated(wq);
    }

    static void unregister(Workqueue wq) {
        LIVE.remove(wq);
        JmxExport.workqueueGone(wq);
    }

    /** A snapshot of the live workqueues. */
    static List<Workqueue> live() {
        return LIVE.snapshot();
    }

    /** {@code freeze_workqueues_begin}: FREEZABLE workqueues activate nothing new until {@link #thaw()}. */
    static void freeze() {
        setFreezing(true);
    }

    /** {@code thaw_workqueues}: FREEZABLE workqueues run their backlog. */
    static void thaw() {
        setFreezing(false);
    }

    private static void setFreezing(boolean freeze) {
        synchronized (FREEZE_LOCK) {
            freezing = freeze;
            for (Workqueue wq : live()) {
                if (wq.flags().contains(WqFlag.FREEZABLE)) {
                    wq.setFrozen(freeze);
                }
            }
        }
    }

    /** {@code freeze_workqueues_busy}: while frozen, whether a FREEZABLE workqueue still has active items. */
    static boolean freezeBusy() {
        synchronized (FREEZE_LOCK) {
            if (!freezing) {
                return false;
            }
            for (Workqueue wq : live()) {
                if (wq.flags().contains(WqFlag.FREEZABLE) && wq.hasActiveItems()) {
                    return true;
                }
            }
            return false;
        }
    }
}
