package dev.jwq.cpu;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs a body on a new platform thread, so that pinning or nice changes die with it (test helper). */
public final class FreshThread {
    private FreshThread() {}

    /** Runs {@code body} on a new thread and returns its result; its assertion errors are rethrown here. */
    public static <T> T call(Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "fresh-thread");
        t.start();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
