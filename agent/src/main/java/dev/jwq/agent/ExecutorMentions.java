package dev.jwq.agent;

/**
 * A quick look at a class file's bytes: does its constant pool name {@code Executors},
 * {@code ThreadPoolExecutor} or {@code ScheduledThreadPoolExecutor}? Nearly every class does not,
 * and is then passed over without being parsed, which keeps the agent's start-up cost small.
 * A false positive (a field of type ThreadPoolExecutor) only costs a parse.
 */
final class ExecutorMentions {
    private static final byte[] PACKAGE = ascii("java/util/concurrent/");
    private static final byte[][] NAMES = {
        ascii("Executors"),
        ascii("ThreadPoolExecutor"),
        ascii("ScheduledThreadPoolExecutor"),
    };

    private ExecutorMentions() {}

    static boolean in(byte[] classFile) {
        byte first = PACKAGE[0];
        int last = classFile.length - PACKAGE.length;
        for (int i = 0; i <= last; i++) {
            if (classFile[i] == first && startsWith(classFile, i, PACKAGE)) {
                int at = i + PACKAGE.length;
                for (byte[] name : NAMES) {
                    if (startsWith(classFile, at, name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The bytes of an ASCII string, as the class file writes them. Not {@code getBytes} with
     * {@code StandardCharsets}: that class initialises nine charsets in every premain.
     */
    private static byte[] ascii(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
