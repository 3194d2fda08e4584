package dev.jwq;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child of {@link WorkerModelFallbackTest}: runs two items and prints whether they ran on virtual threads. */
public final class WorkerModelChild {
    private WorkerModelChild() {}

    public static void main(String[] args) throws Exception {
        try (Workqueue wq = Workqueue.builder("model").build()) {
            for (int i = 0; i < 2; i++) {
                CompletableFuture<Boolean> virtual = new CompletableFuture<>();
                wq.execute(() -> virtual.complete(Thread.currentThread().isVirtual()));
                System.out.println("virtual " + virtual.get(10, TimeUnit.SECONDS));
            }
        }
    }
}
