package dev.jwq.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KernelFilesTest {
    @Test
    void aThreadReadsItsOwnTimerSlack() {
        assumeTrue(ThreadStatus.available() && Files.exists(Path.of("/proc/self/timerslack_ns")),
                "Linux 4.6+: /proc/thread-self and timerslack_ns");
        String result = FreshThread.call(() -> KernelFiles.timerSlackNanos() + "|" + ThreadStatus.timerSlackNanos());
        String[] parts = result.split("\\|");
        assertEquals(parts[1], parts[0], "what KernelFiles read against /proc/<tid>/timerslack_ns");
        assertTrue(Long.parseLong(parts[0]) > 0, "a fair-scheduled thread has a slack: " + result);
    }
}
