package dev.jwq.jfr;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Recordings for the tests: every jwq event on at threshold 0, or jwq.jfc as shipped. */
final class JfrTestSupport {
    private JfrTestSupport() {
    }

    static Recording everything() {
        Recording r = new Recording();
        for (var c : EventMetadataTest.EVENTS) {
            r.enable(c).withoutStackTrace().withThreshold(java.time.Duration.ZERO).withPeriod(java.time.Duration.ofSeconds(1));
        }
        r.enable(EventNames.WORK_EXECUTION).with("sampleOneIn", "1");
        return r;
    }

    static Configuration jwqJfc() throws IOException, java.text.ParseException {
        try (Reader rd = new InputStreamReader(Tracepoints.class.getResourceAsStream("/dev/jwq/jwq.jfc"),
                StandardCharsets.UTF_8)) {
            return Configuration.create(rd);
        }
    }

    /** Stops {@code r}, writes it to a temporary file and reads back the jwq events in it. */
    static List<RecordedEvent> stopAndRead(Recording r, Path dir) throws IOException {
        r.stop();
        Path file = Files.createTempFile(dir, "rec", ".jfr");
        r.dump(file);
        r.close();
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith(EventNames.PREFIX))
                .collect(Collectors.toList());
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    /** Computes for {@code nanos} of wall time: an item that really runs that long. */
    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
