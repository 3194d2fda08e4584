package org.example.app;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's schedulers: boundedElastic() runs on a subclass of ScheduledThreadPoolExecutor with
 * plain threads; parallel() marks its threads (NonBlocking), which is how {@code block()} there
 * is refused. Work through both, and the refusal.
 */
public final class ReactorApp {
    public static void main(String[] args) {
        Set<String> elastic = ConcurrentHashMap.newKeySet();
        long sum = Flux.range(1, 200).flatMap(i -> Mono.fromCallable(() -> {
            elastic.add(Thread.currentThread().getName().replaceAll("-?\\d+$", ""));
            Thread.sleep(1); // blocking work: what boundedElastic is for
            return (long) i;
        }).subscribeOn(Schedulers.boundedElastic())).reduce(0L, Long::sum).block(Duration.ofSeconds(60));
        System.out.println("elastic-sum " + sum);
        System.out.println("elastic-threads " + new TreeSet<>(elastic));
        Set<String> parallel = ConcurrentHashMap.newKeySet();
        long squares = Flux.range(1, 100).parallel(2).runOn(Schedulers.parallel())
                .map(x -> {
                    parallel.add(Thread.currentThread().getClass().getName());
                    return (long) x * x;
                }).sequential().reduce(0L, Long::sum).block(Duration.ofSeconds(60));
        System.out.println("parallel-sum " + squares + " " + new TreeSet<>(parallel));
        String refused;
        try {
            refused = Mono.fromCallable(() -> Mono.delay(Duration.ofSeconds(30)).block()) // refused at once, else 30 s late
                    .subscribeOn(Schedulers.parallel()).map(x -> "blocked").block(Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            refused = "refused";
        }
        System.out.println("blocking-on-parallel " + refused);
        Schedulers.shutdownNow();
    }
}
