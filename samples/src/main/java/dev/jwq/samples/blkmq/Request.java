package dev.jwq.samples.blkmq;

/** A block request ({@code struct request}): its tag, when it was submitted, and to which hardware queue. */
final class Request {
    final int tag;
    final long submittedNanos;
    final HwQueue hctx;
    /** Written by the dispatcher before the device sees it; read by the completion. */
    volatile long serviceNanos;

    Request(int tag, HwQueue hctx) {
        this.tag = tag;
        this.hctx = hctx;
        this.submittedNanos = System.nanoTime();
    }
}
