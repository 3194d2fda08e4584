package dev.jwq.jfr;

/** How the engine learnt that a worker blocked ({@code WorkerSleeping.detectedBy}). */
public enum SleepDetection {
    /** A hook the agent put into a JDK blocking primitive: exact. */
    HOOK("hook"),
    /** {@code Workqueues.blocking(...)} or a {@code ManagedBlocker}: exact. */
    EXPLICIT("explicit"),
    /** The pool monitor found the worker's thread state blocked: late by up to a sample period. */
    SAMPLER("sampler"),
    /** A virtual worker's continuation returned to its carrier while it ran an item: exact. */
    CARRIER("carrier");

    final String label;

    SleepDetection(String label) {
        this.label = label;
    }
}
