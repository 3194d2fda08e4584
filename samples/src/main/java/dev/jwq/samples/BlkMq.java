package dev.jwq.samples;

import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import dev.jwq.samples.blkmq.BlockLayer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The block-layer flow jwq's design comes from ({@code block/blk-mq.c}): a simulated
 * multi-queue block device whose driver answers BUSY under pressure. Submitting threads put
 * requests on hardware queues and run them asynchronously; each queue's run is a delayed work
 * item on a HIGHPRI | MEM_RECLAIM {@code kblockd} workqueue. A request the driver refuses is
 * put back; a full device queue is restarted by its next completion, a shortage of shared
 * buffers re-runs the queue after 3 ms through {@code modDelayed}. It prints requests served,
 * requeues and latency, and exits non-zero unless every request completed exactly once,
 * BUSY happened and was recovered from, and no queue's run ever overlapped itself.
 *
 * <p>Arguments: {@code --short} (fewer requests, for CI).
 */
public final class BlkMq {
    private BlkMq() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--short");
        for (String a : args) {
            if (!a.equals("--short")) {
                throw new IllegalArgumentException("unknown argument " + a + " (known: --short)");
            }
        }
        int requests = quick ? 4_000 : 40_000;
        Workqueue kblockd = Workqueue.builder("kblockd").flags(WqFlag.PERCPU, WqFlag.MEM_RECLAIM, WqFlag.HIGHPRI).build();
        System.out.printf("""
                blkmq: %d requests from %d submitters to a device with %d hardware queues of depth %d that
                share %d DMA buffers; each queue is run by a delayed work item on kblockd (HIGHPRI | MEM_RECLAIM).
                %n""", requests, BlockLayer.SUBMITTERS, BlockLayer.HW_QUEUES, BlockLayer.DEPTH, BlockLayer.DMA_BUFFERS);

        BlockLayer.Result r = new BlockLayer(kblockd).run(requests);
        kblockd.close();

        long[] lat = r.latencyNanos();
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "requests served          %d of %d (completed twice: %d)%n", r.completed(), requests, r.duplicates());
        System.out.printf(Locale.ROOT, "throughput               %.0f requests/s%n", r.completed() * 1e9 / r.elapsedNanos());
        System.out.printf(Locale.ROOT, "latency p50 / p99 / max  %.2f / %.2f / %.2f ms%n",
                Percentile.of(lat, 50) / 1e6, Percentile.of(lat, 99) / 1e6, lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        System.out.printf("requeued (device queue full, restarted by a completion)    %d (restarts: %d)%n", r.devBusy(), r.restarts());
        System.out.printf("requeued (shared buffers out, re-run after 3 ms by modDelayed) %d%n", r.resourceBusy());
        System.out.printf("hardware queue runs on kblockd  %d, on threads %s%n", r.runs(), r.runners());
        System.out.printf("a queue's run overlapping itself  %d times%n", r.overlaps());

        boolean allServed = r.completed() == requests && r.duplicates() == 0;
        boolean busy = r.devBusy() + r.resourceBusy() > 0;
        boolean ok = allServed && busy && r.overlaps() == 0;
        System.out.println();
        System.out.println(allServed ? "Yes: every request completed exactly once, although the driver refused "
                + (r.devBusy() + r.resourceBusy()) + " dispatches." : "NO: not every request completed exactly once.");
        if (!busy) {
            System.out.println("NO: the driver never answered BUSY, so the requeue path was not shown.");
        }
        if (r.overlaps() != 0) {
            System.out.println("NO: a hardware queue's run work ran concurrently with itself.");
        }
        System.exit(ok ? 0 : 1);
    }
}
