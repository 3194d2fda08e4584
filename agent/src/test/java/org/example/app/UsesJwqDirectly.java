package org.example.app;

import dev.jwq.Workqueues;

/** jwq as a library, no agent: each call that starts the engine, twice, printing what it threw. */
public final class UsesJwqDirectly {
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            attempt("fixed", () -> Workqueues.newFixedThreadPool(2).shutdown());
            attempt("system", () -> Workqueues.system().name());
        }
    }

    private static void attempt(String what, Runnable call) {
        try {
            call.run();
            System.out.println(what + " ok");
        } catch (Throwable t) {
            System.out.println(what + " " + t);
        }
    }
}
