package dev.jwq.samples.sprawl;

import dev.jwq.samples.LoopbackClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP client in the style of OkHttp: calls run on a cached dispatcher pool over pooled
 * loopback connections to the upstream service; a cleanup thread closes idle connections
 * beyond {@link #KEEP_IDLE}.
 */
final class HttpClient extends Library {
    static final int KEEP_IDLE = 4;

    private final ExecutorService dispatcher = own(ExecutorFactory.cached(ExecutorFactory.named("OkHttp Dispatcher")));
    private final ScheduledExecutorService cleaner = own(ExecutorFactory.singleScheduled(ExecutorFactory.named("OkHttp ConnectionPool")));
    private final LoopbackClient connections;
    private final AtomicLong calls = new AtomicLong();

    HttpClient(int upstreamPort) {
        super("http client");
        this.connections = new LoopbackClient(upstreamPort);
        every(cleaner, 100, () -> connections.closeIdleBeyond(KEEP_IDLE));
    }

    /** Calls the upstream service for request {@code id}. */
    CompletableFuture<Long> call(long id) {
        return CompletableFuture.supplyAsync(() -> {
            long answer = ExecutorFactory.blocking(() -> connections.call(id));
            calls.incrementAndGet();
            return answer;
        }, dispatcher);
    }

    @Override
    public void close() throws InterruptedException {
        super.close();
        connections.close();
    }

    @Override
    String summary() {
        return calls.get() + " calls over " + connections.opened() + " connections, " + connections.closed() + " closed";
    }
}
