package dev.jwq.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one ScheduledFutureTask of jwq's two scheduled executors: order by trigger time, ties first scheduled first. */
class ScheduledFutureTaskTest {
    /** A task due at an absolute time, named for the test. */
    static final class Due extends ScheduledFutureTask<Void> {
        final String name;

        Due(String name, long time) {
            super(() -> { }, null, time, 0);
            this.name = name;
        }

        @Override
        protected boolean canRunNow() {
            return true;
        }

        @Override
        protected void reschedule() {
        }
    }

    @Test
    void equalTriggerTimesRunInSchedulingOrder() {
        long t = System.nanoTime() - 1;
        Due first = new Due("first", t);
        Due second = new Due("second", t);
        assertTrue(first.compareTo(second) < 0);
        assertTrue(second.compareTo(first) > 0);
        assertEquals(0, first.compareTo(first));

        DelayQueue<Due> q = new DelayQueue<>();
        List<Due> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            made.add(new Due("t" + i, t));
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            q.add(made.get(i)); // offered in reverse: the sequence decides, not the arrival
        }
        List<String> out = new ArrayList<>();
        for (Due d; (d = q.poll()) != null; ) {
            out.add(d.name);
        }
        assertEquals(made.stream().map(d -> d.name).toList(), out);
    }

    @Test
    void anEarlierTriggerTimeComesFirstWhateverTheOrderOfScheduling() {
        long now = System.nanoTime();
        Due late = new Due("late", now + TimeUnit.SECONDS.toNanos(1));
        Due early = new Due("early", now);
        assertTrue(early.compareTo(late) < 0);
        assertTrue(late.getDelay(TimeUnit.MILLISECONDS) > 500);
        assertTrue(ScheduledFutureTask.triggerTime(Long.MAX_VALUE) - System.nanoTime() > 0, "saturates, never overflows");
    }
}
