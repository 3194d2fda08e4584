package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.ScheduledExecutorService;

/** Health checks on a scheduled pool of two, and a configuration watcher on its own thread. */
final class Housekeeping extends Library {
    private final ScheduledExecutorService health = own(ExecutorFactory.scheduled(2, ExecutorFactory.named("health-check")));
    private final ScheduledExecutorService config = own(ExecutorFactory.singleScheduled(ExecutorFactory.named("config-watcher")));

    Housekeeping() {
        super("health and config");
        every(health, 100, () -> Cpu.spinMicros(20));   // database check
        every(health, 100, () -> Cpu.spinMicros(20));   // upstream check
        every(config, 200, () -> Cpu.spinMicros(20));   // re-read the configuration
    }

    @Override
    String summary() {
        return ticks.get() + " checks";
    }
}
