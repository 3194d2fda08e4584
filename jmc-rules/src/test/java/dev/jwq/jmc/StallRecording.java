package dev.jwq.jmc;

import dev.jwq.jfr.EventNames;
import dev.jwq.jfr.Tracepoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/** A recording in which a pool stalled: the stall rule warns about it, naming the pool. */
final class StallRecording {
    private StallRecording() {
    }

    static Path write(Path dir) throws Exception {
        try (Recording r = new Recording()) {
            r.enable(EventNames.POOL_STALL).withThreshold(Duration.ZERO).withoutStackTrace();
            r.enable("jdk.ActiveSetting");
            r.start();
            Tracepoints.poolStall(6, 3, 31_000_000_000L, 42, "pool 6: 42 pending");
            r.stop();
            Path file = Files.createTempFile(dir, "stall", ".jfr");
            r.dump(file);
            return file;
        }
    }
}
