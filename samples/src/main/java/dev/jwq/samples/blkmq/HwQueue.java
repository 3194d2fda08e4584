package dev.jwq.samples.blkmq;

import dev.jwq.DelayedWork;
import dev.jwq.Workqueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hardware queue context ({@code struct blk_mq_hw_ctx}). Submitters put requests on its
 * software queue and run it asynchronously; the run is its {@link #runWork}, a delayed work
 * item on kblockd ({@code hctx->run_work}), so at most one run of a queue is ever under way
 * and a run asked for while one is under way happens right after it.
 *
 * <p>Legend: V: lock-free (atomics, concurrent queue); W: touched only by {@link #run}, which
 * never overlaps itself (jwq's non-reentrancy), each run seeing the previous one's writes.
 */
final class HwQueue {
    /** {@code BLK_MQ_RESOURCE_DELAY}: when the driver is out of a shared resource, re-run after this. */
    static final Duration RESOURCE_DELAY = Duration.ofMillis(3);

    final int index;
    private final Workqueue kblockd;
    private final Device device;
    /** {@code blk_mq_run_work_fn}. */
    final DelayedWork runWork = new DelayedWork(this::run);

    final AtomicInteger inFlight = new AtomicInteger();                              // V: on the device (Device)
    private final ConcurrentLinkedQueue<Request> swQueue = new ConcurrentLinkedQueue<>(); // V: submitted, not yet dispatched
    private final ArrayDeque<Request> dispatch = new ArrayDeque<>();                // W: put back after BUSY (hctx->dispatch)
    private final AtomicBoolean restart = new AtomicBoolean();                      // V: BLK_MQ_S_SCHED_RESTART
    private final AtomicBoolean running = new AtomicBoolean();                      // V: detects a run overlapping itself
    final AtomicLong runs = new AtomicLong(), devBusy = new AtomicLong(), resourceBusy = new AtomicLong(),
            restarts = new AtomicLong(), overlaps = new AtomicLong();               // V: statistics
    final Set<String> runners = ConcurrentHashMap.newKeySet();                      // V: threads that ran this queue

    HwQueue(int index, Workqueue kblockd, Device device) {
        this.index = index;
        this.kblockd = kblockd;
        this.device = device;
    }

    /** {@code blk_mq_insert_request} on the software queue. */
    void insert(Request rq) {
        swQueue.add(rq);
    }

    /** {@code blk_mq_run_hw_queue(hctx, async=true)}: {@code kblockd_mod_delayed_work_on(..., 0)}. */
    void runAsync() {
        kblockd.modDelayed(runWork, Duration.ZERO);
    }

    /**
     * {@code blk_mq_sched_dispatch_requests}: hands the put-back requests, then the new ones,
     * to the driver until it answers BUSY.
     */
    private void run() {
        if (!running.compareAndSet(false, true)) {
            overlaps.incrementAndGet();
        }
        try {
            runs.incrementAndGet();
            runners.add(Thread.currentThread().getName());
            while (true) {
                Request rq = dispatch.pollFirst();
                if (rq == null && (rq = swQueue.poll()) == null) {
                    return;
                }
                switch (device.queueRq(rq)) {
                    case OK -> { }
                    case DEV_RESOURCE -> {
                        dispatch.addFirst(rq);
                        devBusy.incrementAndGet();
                        // A completion on this queue restarts it. Set the flag, then look again:
                        // a completion that came before the flag was set did not see it, but
                        // then we see its free slot (both sides write, then read the other).
                        restart.set(true);
                        if (inFlight.get() >= Device.DEPTH) {
                            return;
                        }
                    }
                    case RESOURCE -> {
                        dispatch.addFirst(rq);
                        resourceBusy.incrementAndGet();
                        // Nothing on this queue will free the shared buffers: re-run later
                        // (blk_mq_delay_run_hw_queue). mod, not queue: an earlier run request
                        // that is already pending is pushed back rather than kept.
                        kblockd.modDelayed(runWork, RESOURCE_DELAY);
                        return;
                    }
                }
            }
        } finally {
            running.set(false);
        }
    }

    /** A request of this queue completed ({@code blk_mq_sched_restart}). */
    void completed() {
        if (restart.get() && restart.compareAndSet(true, false)) {
            restarts.incrementAndGet();
            runAsync();
        }
    }
}
