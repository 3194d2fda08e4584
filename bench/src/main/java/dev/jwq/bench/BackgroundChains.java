package dev.jwq.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A busy pool's load for {@link MixedBenchmark}: chains whose every step burns a little CPU and
 * queues the next step from inside, until stopped. Each chain counts its own steps (one writer at
 * a time: a chain has one step queued or running), so the load shares no counter line.
 */
final class BackgroundChains {
    private final Chain[] chains;
    private final CountDownLatch ended;
    private volatile boolean stopping;

    private BackgroundChains(int count) {
        this.chains = new Chain[count];
        this.ended = new CountDownLatch(count);
    }

    /** Starts {@code count} chains on {@code exec}, each step burning {@code tokens} of Blackhole CPU. */
    static BackgroundChains start(Executor exec, int count, long tokens) {
        if (count <= 0 || tokens < 0) {
            throw new IllegalArgumentException("count must be positive and tokens not negative, were " + count + ", " + tokens);
        }
        BackgroundChains b = new BackgroundChains(count);
        for (int i = 0; i < count; i++) {
            b.chains[i] = b.new Chain(exec, tokens);
        }
        for (Chain c : b.chains) {
            exec.execute(c);
        }
        return b;
    }

    /** Steps run so far by every chain (each count read as its chain last published it). */
    long steps() {
        long sum = 0;
        for (Chain c : chains) {
            sum += c.steps.get();
        }
        return sum;
    }

    /** Stops the chains and waits for each one's last step; {@code label} names the executor in a timeout. */
    void stop(String label) throws InterruptedException, TimeoutException {
        stopping = true;
        if (!ended.await(Countdown.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException(label + ": " + ended.getCount() + " background chains still running after "
                    + Countdown.TIMEOUT_SECONDS + " s");
        }
    }

    private final class Chain implements Runnable {
        private final Executor exec;
        private final long tokens;
        final AtomicLong steps = new AtomicLong(); // written by the chain's current step only

        Chain(Executor exec, long tokens) {
            this.exec = exec;
            this.tokens = tokens;
        }

        @Override
        public void run() {
            Blackhole.consumeCPU(tokens);
            steps.lazySet(steps.get() + 1);
            if (stopping) {
                ended.countDown();
            } else {
                exec.execute(this);
            }
        }
    }
}
