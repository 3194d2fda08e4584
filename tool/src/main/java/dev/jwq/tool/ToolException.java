package dev.jwq.tool;

/** A problem the user can fix (bad arguments, a missing file, a recording without jwq events). */
final class ToolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit status: {@link Main#EXIT_USAGE} for bad arguments, {@link Main#EXIT_FAILURE} otherwise. */
    final int status;

    ToolException(int status, String message) {
        super(message);
        this.status = status;
    }

    ToolException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }
}
