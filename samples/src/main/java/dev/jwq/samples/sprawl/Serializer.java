package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** A response renderer that serialises and compresses bodies on its own fixed pool. */
final class Serializer extends Library {
    private final ExecutorService workers = own(ExecutorFactory.fixed(8, ExecutorFactory.named("json-render")));

    Serializer() {
        super("serializer");
    }

    CompletableFuture<Long> render(long cached, long row, long upstream) {
        return CompletableFuture.supplyAsync(() -> {
            Cpu.spinMicros(60);   // serialise and compress
            return Values.body(cached, row, upstream);
        }, workers);
    }

    @Override
    String summary() {
        return "renders every response";
    }
}
