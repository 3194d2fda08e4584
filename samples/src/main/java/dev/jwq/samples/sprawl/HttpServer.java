package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The service's web server: a request-handler pool sized for the peak (as servlet containers
 * size theirs), each handler parsing the request, calling the other libraries and waiting for
 * their answers, servlet style.
 */
final class HttpServer extends Library {
    /** Handler threads, sized for a peak the service rarely sees. */
    static final int HANDLERS = 64;

    private final ExecutorService handlers = own(ExecutorFactory.fixed(HANDLERS, ExecutorFactory.named("http-nio-exec")));
    private final Services s;

    HttpServer(Services services) {
        super("web server");
        this.s = services;
    }

    /** Accepts request {@code id}; the future completes with its response body. */
    CompletableFuture<Long> handle(long id) {
        return CompletableFuture.supplyAsync(() -> serve(id), handlers);
    }

    private long serve(long id) {
        Cpu.spinMicros(80);   // parse and route
        CompletableFuture<Long> cached = s.cache().get(id % Services.CACHE_KEYS);
        CompletableFuture<Long> row = s.database().query(id);
        CompletableFuture<Long> remote = s.httpClient().call(id);
        long c = await(cached), r = await(row), u = await(remote);
        long body = await(s.serializer().render(c, r, u));
        s.eventBus().publish(id);
        s.logger().log("GET /orders/" + id + " 200");
        s.tracer().span(id);
        s.metrics().requestServed();
        if (id % JobScheduler.EVERY == 0) {
            s.jobs().schedule(id);
        }
        return body;
    }

    private static long await(CompletableFuture<Long> f) {
        return ExecutorFactory.blocking(f::join);
    }

    @Override
    String summary() {
        return HANDLERS + " handler threads allowed";
    }
}
