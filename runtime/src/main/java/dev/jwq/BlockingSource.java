package dev.jwq;

import dev.jwq.jfr.SleepDetection;
import java.util.List;

/**
 * Who told concurrency management that a worker blocks, best first (DESIGN §2). Each pool counts
 * the transitions by source ({@link WorkerPool#sleeps}).
 */
enum BlockingSource {
    /** The agent's advice on the JDK's blocking primitives, through {@code dev.jwq.spi.WorkerBlocking}. */
    HOOK(SleepDetection.HOOK),
    /** {@code Workqueues.blocking(...)} or a {@code ManagedBlocker} run through it. */
    EXPLICIT(SleepDetection.EXPLICIT),
    /** {@link PoolMonitor} found the worker's thread blocked (see its rules). */
    SAMPLER(SleepDetection.SAMPLER),
    /** A virtual worker's continuation returned to its carrier inside an item ({@link CarrierListener#sleeping}). */
    CARRIER(SleepDetection.CARRIER);

    /** I: every source, by ordinal; {@code values()} clones its array per call, and this is read per sleep. */
    static final List<BlockingSource> ALL = List.of(values());

    /** How the {@code WorkerSleeping} event names it. */
    final SleepDetection detection;

    BlockingSource(SleepDetection detection) {
        this.detection = detection;
    }
}
