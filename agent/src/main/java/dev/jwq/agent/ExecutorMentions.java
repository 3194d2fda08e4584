package dev.jwq.agent;

import java.nio.charset.StandardCharsets;

/**
 * A quick look at a class file's bytes: does its constant pool name {@code Executors},
 * {@code ThreadPoolExecutor} or {@code ScheduledThreadPoolExecutor}? Nearly every class does not,
 * and is then passed over without being parsed, which keeps the agent's start-up cost small.
 * A false positive (a field of type ThreadPoolExecutor) only costs a parse.
 */
final class ExecutorMentions {
    private static final byte[] PACKAGE = "java/util/concurrent/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] NAMES = {
        "Executors".getBytes(StandardCharsets.US_ASCII),
        "ThreadPoolExecutor".getBytes(StandardCharsets.US_ASCII),
        "ScheduledThreadPoolExecutor".getBytes(StandardCharsets.US_ASCII),
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
