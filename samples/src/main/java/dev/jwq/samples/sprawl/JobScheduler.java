package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.ExecutorService;

/**
 * A job scheduler in the style of Quartz, with its fixed pool of ten workers: one order in
 * {@link #EVERY} schedules a confirmation e-mail (some CPU, then waiting on the mail server).
 */
final class JobScheduler extends Library {
    static final int EVERY = 20;

    private final ExecutorService workers = own(ExecutorFactory.fixed(10, ExecutorFactory.named("QuartzScheduler_Worker")));

    JobScheduler() {
        super("job scheduler");
    }

    void schedule(long orderId) {
        fireAndForget(workers, () -> {
            Cpu.spinMicros(100);
            ExecutorFactory.blocking(() -> {
                Thread.sleep(1);
                return null;
            });
        });
    }

    @Override
    long expectedFired(long requests) {
        return multiples(requests, EVERY);
    }

    @Override
    String summary() {
        return fired() + " e-mails sent";
    }
}
