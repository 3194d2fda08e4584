package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A database driver with a connection pool in the style of HikariCP: queries run on a fixed
 * pool of one thread per connection and take {@link #QUERY_MS} of waiting on the database; a
 * single housekeeper thread checks the pool periodically.
 */
final class Database extends Library {
    static final int CONNECTIONS = 10;
    static final long QUERY_MS = 2;

    private final ExecutorService queries = own(ExecutorFactory.fixed(CONNECTIONS, ExecutorFactory.named("db-query")));
    private final ScheduledExecutorService housekeeper = own(ExecutorFactory.singleScheduled(ExecutorFactory.named("HikariPool-1 housekeeper")));
    private final AtomicLong executed = new AtomicLong();

    Database() {
        super("database pool");
        every(housekeeper, 100, () -> Cpu.spinMicros(30));
    }

    /** Runs the query of request {@code id}. */
    CompletableFuture<Long> query(long id) {
        return CompletableFuture.supplyAsync(() -> {
            ExecutorFactory.blocking(() -> {
                Thread.sleep(QUERY_MS);
                return null;
            });
            Cpu.spinMicros(20);   // decode the row
            executed.incrementAndGet();
            return Values.row(id);
        }, queries);
    }

    @Override
    String summary() {
        return executed.get() + " queries, " + ticks.get() + " housekeeping runs";
    }
}
