package dev.jwq;

/**
 * Which threads run the workers of this process ({@code jwq.workers}), decided once: virtual
 * workers on carriers ({@link CarrierGroup}) when the setting allows it and the JDK grants
 * access ({@link VirtualThreadAccess}), platform workers otherwise. {@code auto} without access
 * says so in one log line; {@code virtual} without access stops start-up with the reason.
 */
final class WorkerModel {
    private static final System.Logger LOG = Log.LOG;

    /** Virtual workers on carriers, rather than a platform thread per worker. */
    static final boolean VIRTUAL = decide(Settings.CURRENT.workers());

    static {
        if (VIRTUAL) {
            // Before any worker exists, so before any virtual worker blocks on a socket.
            SocketPollers.preferPlatformPollers();
            PollersAtExit.register();
        }
    }

    private WorkerModel() {}

    private static boolean decide(Settings.Workers setting) {
        switch (setting) {
            case PLATFORM:
                return false;
            case VIRTUAL:
                if (!VirtualThreadAccess.available()) {
                    throw new IllegalArgumentException("jwq: system property jwq.workers=virtual, but "
                            + VirtualThreadAccess.unavailableReason());
                }
                return true;
            default:
                if (VirtualThreadAccess.available()) {
                    // Said nowhere but in describe() (the runtime MXBean, jwq dump): even a
                    // DEBUG line would start the logging backend in every process (Log).
                    return true;
                }
                LOG.log(System.Logger.Level.INFO, "jwq: workers are platform threads ("
                        + VirtualThreadAccess.unavailableReason() + ")");
                return false;
        }
    }

    /** How the runtime MXBean names the model in force. */
    static String describe() {
        if (VIRTUAL) {
            return "virtual (carriers)";
        }
        return Settings.CURRENT.workers() == Settings.Workers.PLATFORM ? "platform"
                : "platform (" + VirtualThreadAccess.unavailableReason() + ")";
    }
}
