package dev.jwq;

/**
 * Which threads wake a virtual worker whose socket read or write would block: asked of the JDK
 * once, when the process decides on virtual workers ({@link WorkerModel}).
 *
 * <p>JDK 25 on Linux polls sockets for virtual threads with a master poller (a platform
 * thread in {@code epoll_wait}) that wakes sub-pollers, themselves virtual threads scheduled
 * like their creator: the first virtual worker that blocks on a socket makes them, and its
 * {@link CarriedWorker} hands them to the JDK's own ForkJoinPool (a continuation that is not its
 * worker's). Every socket wake-up of a virtual worker then crosses three threads (the master
 * poller, a ForkJoinPool carrier running a sub-poller, jwq's carrier) and two schedulers. The
 * JDK's other mode, {@code jdk.pollerMode=1}, has platform pollers unpark the waiting virtual
 * thread themselves: one hop. Measured on this project's 2-CPU host (bench/README.md, session
 * 31): a socket round trip from a virtual worker took 2-31% less time ({@code SocketBenchmark}),
 * and the flagship demo's service run warmed up allocated 2-7% less and used 2-6% less CPU per
 * request (nine runs each, interleaved). The price is in the first seconds: C2 recompiles
 * {@code VirtualThread.unpark} and its callers once a platform thread (the poller) calls it for
 * every socket wake-up, so at the demo's own short warm-up the service served about 3% fewer
 * requests a second (22 interleaved pairs).
 *
 * <p>So jwq sets {@code jdk.pollerMode=1} when its workers are virtual threads, unless the
 * property is already set (an explicit choice: kept) or the JDK is one whose pollers jwq was not
 * measured on (outside 21-25: left alone, as the property's values may mean something else
 * there). The JDK reads the property once, when a virtual thread first blocks on a socket: if
 * one did before jwq's first virtual worker was made, its pollers stay as they were. Nothing
 * changes for platform threads, which block in the kernel without pollers.
 */
final class SocketPollers {
    /** The JDK's system property naming its poller mode. */
    static final String PROPERTY = "jdk.pollerMode";

    /** The mode jwq asks for: the pollers are platform threads that unpark the waiting thread. */
    static final String PLATFORM_POLLERS = "1";

    /** The JDK feature releases whose poller modes jwq was measured on. */
    static final int FIRST_KNOWN_FEATURE = 21, LAST_KNOWN_FEATURE = 25;

    private SocketPollers() {}

    /**
     * Sets {@link #PROPERTY} as {@link #modeToSet} says, for this JDK. Never throws: where the
     * property cannot be read or written (a security manager on JDK 21-23 may refuse), the
     * JDK's default stays, and virtual workers run as they would without this class.
     */
    static void preferPlatformPollers() {
        try {
            String mode = modeToSet(System.getProperty(PROPERTY), Runtime.version().feature());
            if (mode != null) {
                System.setProperty(PROPERTY, mode);
            }
        } catch (RuntimeException e) { // SecurityException
            // the JDK's default pollers: slower socket wake-ups, nothing else
        }
    }

    /**
     * The mode to set given the property's value {@code current} and the JDK's feature release,
     * or null to leave the property alone: it is set already, or the JDK is not one of
     * {@link #FIRST_KNOWN_FEATURE}..{@link #LAST_KNOWN_FEATURE}.
     */
    static String modeToSet(String current, int feature) {
        if (current != null || feature < FIRST_KNOWN_FEATURE || feature > LAST_KNOWN_FEATURE) {
            return null;
        }
        return PLATFORM_POLLERS;
    }
}
