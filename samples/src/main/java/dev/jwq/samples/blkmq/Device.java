package dev.jwq.samples.blkmq;

import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The simulated hardware and its driver's {@code queue_rq}. Each hardware queue takes at most
 * {@link #DEPTH} requests at once; all of them share {@link #DMA_BUFFERS} DMA buffers, fewer
 * than the queues could hold together. {@link #queueRq} answers as a driver does under
 * pressure: {@code DEV_RESOURCE} when the queue is full (a completion on it will restart it),
 * {@code RESOURCE} when the shared buffers ran out (nothing on this queue will restart it: the
 * block layer re-runs it after a delay). Completions arrive from one "interrupt" thread, each
 * after a service time of {@link #MIN_SERVICE_US} to {@link #MAX_SERVICE_US}.
 */
final class Device implements AutoCloseable {
    static final int DEPTH = 8;
    static final int DMA_BUFFERS = 24;
    static final int MIN_SERVICE_US = 100, MAX_SERVICE_US = 500;

    /** {@code blk_status_t}, the three answers of {@code queue_rq} we model. */
    enum Status { OK, DEV_RESOURCE, RESOURCE }

    private final AtomicInteger freeBuffers = new AtomicInteger(DMA_BUFFERS);
    private final DelayQueue<InFlight> inFlight = new DelayQueue<>();
    private final Random serviceTimes = new Random(42);   // guarded by its own monitor: hardware queues dispatch in parallel
    private final Thread irq;

    private record InFlight(Request rq, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((InFlight) o).dueNanos);
        }
    }

    /** Starts the device; {@code complete} is called on the interrupt thread for each finished request. */
    Device(Consumer<Request> complete) {
        irq = Thread.ofPlatform().daemon().name("device-irq").start(() -> {
            try {
                while (true) {
                    InFlight f = inFlight.take();
                    freeBuffers.incrementAndGet();
                    f.rq.hctx.inFlight.decrementAndGet();
                    complete.accept(f.rq);
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /** The driver's {@code queue_rq}: starts {@code rq} on the hardware, or says why it cannot. */
    Status queueRq(Request rq) {
        HwQueue h = rq.hctx;
        if (h.inFlight.incrementAndGet() > DEPTH) {
            h.inFlight.decrementAndGet();
            return Status.DEV_RESOURCE;
        }
        if (freeBuffers.getAndDecrement() <= 0) {
            freeBuffers.incrementAndGet();
            h.inFlight.decrementAndGet();
            return Status.RESOURCE;
        }
        long service;
        synchronized (serviceTimes) {
            service = TimeUnit.MICROSECONDS.toNanos(MIN_SERVICE_US + serviceTimes.nextInt(MAX_SERVICE_US - MIN_SERVICE_US));
        }
        rq.serviceNanos = service;
        inFlight.add(new InFlight(rq, System.nanoTime() + service));
        return Status.OK;
    }

    @Override
    public void close() {
        irq.interrupt();
    }
}
