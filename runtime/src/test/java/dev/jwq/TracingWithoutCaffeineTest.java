package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.jfr.EventNames;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Caffeine (the cache of function names) missing from a hand-made class path must cost the cache
 * only: with a recording on, every item still runs and is accounted for, events still name their
 * function, and a dump still names the item in flight. Before, the item epilogue's event threw
 * NoClassDefFoundError out of the worker, which died without its item's accounting and left the
 * pool stalled. Runs {@link Child} in a JVM whose class path has no Caffeine.
 */
class TracingWithoutCaffeineTest {

    @Test
    void itemsRunAndEventsNameTheirFunctionWithoutCaffeine() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("caffeine"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-ea", "-Xmx256m", "-cp", classPath,
                Child.class.getName()));
        ChildJvm.Result r = ChildJvm.exec(cmd);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("caffeine: absent"), r.output());
        assertTrue(r.output().contains("items: " + Child.ITEMS), r.output());
        assertTrue(r.output().contains("dump names the item: true"), r.output());
        assertTrue(r.output().contains("events named: " + Child.ITEMS), r.output());
    }

    /** The scenario, in a JVM without Caffeine. Exits 0 having printed what it saw. */
    static final class Child {
        static final int ITEMS = 200;

        public static void main(String[] args) throws Exception {
            try {
                Class.forName("com.github.benmanes.caffeine.cache.Caffeine");
                System.out.println("caffeine: present");
            } catch (ClassNotFoundException expected) {
                System.out.println("caffeine: absent");
            }
            Path file = Files.createTempFile("jwq-no-caffeine", ".jfr");
            Workqueue wq = Workqueue.builder("no-caffeine").build();
            boolean ok;
            try (Recording recording = new Recording()) {
                recording.enable(EventNames.WORK_EXECUTION).with("sampleOneIn", "1");
                recording.start();
                CountDownLatch done = new CountDownLatch(ITEMS);
                for (int i = 0; i < ITEMS; i++) {
                    wq.execute(new Step(done));
                }
                boolean allRan = done.await(30, TimeUnit.SECONDS);
                System.out.println("items: " + (ITEMS - done.getCount()));
                CountDownLatch inItem = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                wq.execute(new Parked(inItem, release));
                inItem.await();
                String dump = RuntimeDump.dump();
                release.countDown();
                System.out.println("dump names the item: " + dump.contains(Parked.class.getName()));
                wq.shutdown();
                boolean ended = wq.awaitTermination(30, TimeUnit.SECONDS);
                recording.stop();
                recording.dump(file);
                long named = RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals(EventNames.WORK_EXECUTION))
                        .map((RecordedEvent e) -> e.getString("function"))
                        .filter(Step.class.getName()::equals)
                        .count();
                System.out.println("events named: " + named);
                ok = allRan && ended;
            } finally {
                Files.deleteIfExists(file);
            }
            System.exit(ok ? 0 : 1);
        }
    }

    /** A chosen class, so that the events' function names can be told from any other. */
    record Step(CountDownLatch done) implements Runnable {
        @Override
        public void run() {
            done.countDown();
        }
    }

    /** Holds its worker until released, so that the dump sees it in flight. */
    record Parked(CountDownLatch inItem, CountDownLatch release) implements Runnable {
        @Override
        public void run() {
            inItem.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
