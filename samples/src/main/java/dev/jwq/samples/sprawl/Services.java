package dev.jwq.samples.sprawl;

import java.util.ArrayList;
import java.util.List;

/**
 * The libraries the app is built from, created at start as a dependency-injection container
 * would, and closed in an order where no library is closed before one that still feeds it.
 */
final class Services implements AutoCloseable {
    /** Distinct cache keys: requests share entries, so the cache both hits and misses. */
    static final int CACHE_KEYS = 512;

    private final Cache cache = new Cache();
    private final Database database = new Database();
    private final HttpClient httpClient;
    private final Serializer serializer = new Serializer();
    private final SearchIndexer indexer = new SearchIndexer();
    private final EventBus eventBus = new EventBus(indexer);
    private final AsyncLogger logger = new AsyncLogger();
    private final Tracer tracer = new Tracer();
    private final Metrics metrics = new Metrics();
    private final JobScheduler jobs = new JobScheduler();
    private final Housekeeping housekeeping = new Housekeeping();
    private final HttpServer server;

    Services(int upstreamPort) {
        httpClient = new HttpClient(upstreamPort);
        server = new HttpServer(this);
    }

    /** Every library, in closing order: the server first, each feeder before what it feeds. */
    List<Library> libraries() {
        return List.of(server, serializer, cache, database, httpClient, eventBus, indexer, jobs, logger, tracer,
                metrics, housekeeping);
    }

    HttpServer server() { return server; }
    Cache cache() { return cache; }
    Database database() { return database; }
    HttpClient httpClient() { return httpClient; }
    Serializer serializer() { return serializer; }
    EventBus eventBus() { return eventBus; }
    AsyncLogger logger() { return logger; }
    Tracer tracer() { return tracer; }
    Metrics metrics() { return metrics; }
    JobScheduler jobs() { return jobs; }

    /** Closes every library; each lets what it had queued finish. */
    @Override
    public void close() throws InterruptedException {
        for (Library l : libraries()) {
            l.close();
        }
    }

    /** What went wrong anywhere, after {@link #close()}, for {@code requests} served. */
    List<String> problems(long requests) {
        List<String> out = new ArrayList<>();
        for (Library l : libraries()) {
            out.addAll(l.problems(requests));
        }
        return out;
    }
}
