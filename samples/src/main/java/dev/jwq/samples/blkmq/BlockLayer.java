package dev.jwq.samples.blkmq;

import dev.jwq.Workqueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The block layer around a {@link Device}: {@link #HW_QUEUES} hardware queues run from
 * kblockd, and {@link #SUBMITTERS} submitting threads, each mapped to one hardware queue (as
 * CPUs are) and keeping up to {@link #OUTSTANDING} requests in flight, submitting in plugs of
 * {@link #PLUG} (a plug's flush runs the queue once for all its requests).
 */
public final class BlockLayer {
    public static final int HW_QUEUES = 4, SUBMITTERS = 4, OUTSTANDING = 16, PLUG = 8;
    public static final int DEPTH = Device.DEPTH, DMA_BUFFERS = Device.DMA_BUFFERS;

    private final Workqueue kblockd;

    /** What a run did. */
    public record Result(long completed, long duplicates, long elapsedNanos, long[] latencyNanos, long devBusy,
            long resourceBusy, long restarts, long runs, long overlaps, Set<String> runners) {}

    public BlockLayer(Workqueue kblockd) {
        this.kblockd = kblockd;
    }

    /** Serves {@code requests} requests and tears the queues down ({@code blk_mq_exit_hctx}). */
    public Result run(int requests) throws InterruptedException {
        long[] latency = new long[requests];
        AtomicIntegerArray completions = new AtomicIntegerArray(requests);
        AtomicLong duplicates = new AtomicLong();
        CountDownLatch done = new CountDownLatch(requests);
        Semaphore[] outstanding = new Semaphore[SUBMITTERS];
        for (int s = 0; s < SUBMITTERS; s++) {
            outstanding[s] = new Semaphore(OUTSTANDING);
        }
        List<HwQueue> queues = new ArrayList<>();
        Device device = new Device(rq -> {
            latency[rq.tag] = System.nanoTime() - rq.submittedNanos;
            if (completions.incrementAndGet(rq.tag) != 1) {
                duplicates.incrementAndGet();
            }
            outstanding[rq.tag % SUBMITTERS].release();
            rq.hctx.completed();
            done.countDown();
        });
        for (int i = 0; i < HW_QUEUES; i++) {
            queues.add(new HwQueue(i, kblockd, device));
        }

        long start = System.nanoTime();
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int me = s;
            HwQueue hctx = queues.get(s % HW_QUEUES);
            submitters.add(Thread.ofPlatform().name("submitter-" + s).start(() -> submit(me, requests, hctx, outstanding[me])));
        }
        for (Thread t : submitters) {
            t.join();
        }
        boolean finished = done.await(30, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (!finished) {
            System.out.println("still not completed after 30 s: " + done.getCount() + " requests");
        }
        // blk_mq_exit_hctx: no run may be pending or running once the queues go away.
        for (HwQueue q : queues) {
            q.runWork.cancelSync();
        }
        device.close();

        long completed = 0;
        for (int i = 0; i < requests; i++) {
            completed += completions.get(i) > 0 ? 1 : 0;
        }
        Set<String> runners = new TreeSet<>();
        long devBusy = 0, resourceBusy = 0, restarts = 0, runs = 0, overlaps = 0;
        for (HwQueue q : queues) {
            devBusy += q.devBusy.get();
            resourceBusy += q.resourceBusy.get();
            restarts += q.restarts.get();
            runs += q.runs.get();
            overlaps += q.overlaps.get();
            runners.addAll(q.runners);
        }
        // Only completed requests have a latency; the latch above orders their writes before these reads.
        long[] measured = new long[(int) completed];
        for (int i = 0, k = 0; i < requests; i++) {
            if (completions.get(i) > 0) {
                measured[k++] = latency[i];
            }
        }
        return new Result(completed, duplicates.get(), elapsed, measured, devBusy, resourceBusy, restarts, runs,
                overlaps, runners);
    }

    /** Submitter {@code me} submits tags me, me + SUBMITTERS, ... in plugs, flushing before it would wait. */
    private static void submit(int me, int requests, HwQueue hctx, Semaphore outstanding) {
        int plugged = 0;
        for (int tag = me; tag < requests; tag += SUBMITTERS) {
            if (!outstanding.tryAcquire()) {
                if (plugged > 0) {
                    hctx.runAsync();   // never wait on requests that sit in our own plug
                    plugged = 0;
                }
                outstanding.acquireUninterruptibly();
            }
            hctx.insert(new Request(tag, hctx));
            if (++plugged == PLUG) {
                hctx.runAsync();
                plugged = 0;
            }
        }
        if (plugged > 0) {
            hctx.runAsync();
        }
    }
}
