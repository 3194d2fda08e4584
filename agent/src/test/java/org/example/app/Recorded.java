package org.example.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Runs code under a JFR recording of one event type and returns the events it recorded. */
final class Recorded {
    private Recorded() {}

    static List<RecordedEvent> events(String eventName, Callable<?> body) throws Exception {
        Path file = Files.createTempFile("jwq-agent-test", ".jfr");
        try (Recording r = new Recording()) {
            r.enable(eventName);
            r.start();
            body.call();
            r.stop();
            r.dump(file);
            // Event types enabled by default (the runtime's, when jwq runs) are recorded too: keep ours.
            return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(eventName)).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
