package dev.jwq.bench.cpusleep;

import dev.jwq.Workqueues;
import java.util.concurrent.ForkJoinPool;

/** How an item sleeps: plainly, or telling its executor that it blocks. */
enum SleepStyle {
    /** {@code Thread.sleep}: jwq must learn the blocking from its sampler. */
    PLAIN {
        @Override
        void sleep(long nanos) throws InterruptedException {
            sleepPlain(nanos);
        }
    },
    /** {@code Thread.sleep} inside {@code Workqueues.blocking(...)}: jwq hears of it at once. */
    JWQ_BLOCKING {
        @Override
        void sleep(long nanos) throws Exception {
            Workqueues.blocking(() -> {
                sleepPlain(nanos);
                return null;
            });
        }
    },
    /** {@code Thread.sleep} inside {@code ForkJoinPool.managedBlock}: a pool may add a spare. */
    MANAGED_BLOCK {
        @Override
        void sleep(long nanos) throws InterruptedException {
            ForkJoinPool.managedBlock(new SleepBlocker(nanos));
        }
    };

    abstract void sleep(long nanos) throws Exception;

    private static void sleepPlain(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }

    /** Sleeps until a deadline; releasable once it has passed. */
    private static final class SleepBlocker implements ForkJoinPool.ManagedBlocker {
        private final long deadline;

        SleepBlocker(long nanos) {
            deadline = System.nanoTime() + nanos;
        }

        @Override
        public boolean block() throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                sleepPlain(left);
            }
            return true;
        }

        @Override
        public boolean isReleasable() {
            return deadline - System.nanoTime() <= 0;
        }
    }
}
