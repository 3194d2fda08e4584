package org.example.app;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * RxJava 3's schedulers: computation() makes its threads with a factory of its own thread class,
 * which is how {@code blockingGet()} there is refused under failOnNonBlockingScheduler; io()
 * makes plain threads. Work through both, and the refusal.
 */
public final class RxJavaApp {
    public static void main(String[] args) throws Exception {
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        Set<String> ioThreads = ConcurrentHashMap.newKeySet();
        Set<String> computationThreads = ConcurrentHashMap.newKeySet();
        long sum = Flowable.range(1, 1000).parallel(4).runOn(Schedulers.io())
                .map(x -> {
                    ioThreads.add(Thread.currentThread().getName().replaceAll("-?\\d+$", ""));
                    return (long) x;
                })
                .sequential().reduce(0L, Long::sum).blockingGet();
        System.out.println("io-sum " + sum);
        System.out.println("io-threads " + new TreeSet<>(ioThreads));
        long squares = Flowable.range(1, 100).parallel(2).runOn(Schedulers.computation())
                .map(x -> {
                    computationThreads.add(Thread.currentThread().getClass().getName());
                    return (long) x * x;
                })
                .sequential().reduce(0L, Long::sum).blockingGet();
        System.out.println("computation-sum " + squares + " " + new TreeSet<>(computationThreads));
        String refused;
        try {
            refused = Single.fromCallable(() -> Single.timer(30, TimeUnit.SECONDS).blockingGet()) // refused at once, else 30 s late
                    .subscribeOn(Schedulers.computation()).map(x -> "blocked").blockingGet();
        } catch (IllegalStateException e) {
            refused = "refused";
        }
        System.out.println("blocking-on-computation " + refused);
        Schedulers.shutdown();
    }
}
