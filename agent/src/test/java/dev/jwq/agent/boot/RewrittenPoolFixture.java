package dev.jwq.agent.boot;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;

/** The executors a test made, stopped and awaited after it, and the latch its blocking tasks wait on (opened then too). */
abstract class RewrittenPoolFixture {
    static final long LONG = 30;  // seconds: liveness bound on a loaded machine
    final CountDownLatch release = new CountDownLatch(1);
    private final List<ThreadPoolExecutor> made = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        release.countDown();
        for (ThreadPoolExecutor p : made) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(LONG, SECONDS), "did not terminate: " + p);
        }
    }

    <T extends ThreadPoolExecutor> T track(T p) {
        made.add(p);
        return p;
    }
}
