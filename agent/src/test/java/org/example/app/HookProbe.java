package org.example.app;

import dev.jwq.spi.WorkerBlocking;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Installs a counting WorkerBlocking handler (no jwq pool is ever created here, so the runtime
 * installs none) and calls each hooked primitive once from main, printing how many
 * sleeping/running pairs each call produced.
 */
public final class HookProbe {
    static final Thread MAIN = Thread.currentThread();
    static final AtomicInteger sleeping = new AtomicInteger();
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger depth = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        WorkerBlocking.install(new WorkerBlocking.Handler() {
            @Override
            public boolean sleeping() {
                if (Thread.currentThread() != MAIN || depth.getAndIncrement() > 0) {
                    if (Thread.currentThread() == MAIN) {
                        depth.decrementAndGet();
                    }
                    return false; // only the outermost blocking call counts, as the runtime does
                }
                sleeping.incrementAndGet();
                return true;
            }

            @Override
            public void running() {
                running.incrementAndGet();
                depth.decrementAndGet();
            }
        });
        // The agent hooks the JDK classes already loaded once jwq's API loads and a runtime with
        // platform workers asks for the hooks, as this probe does in the runtime's place; on a
        // thread of its own: wait for it.
        Class.forName("dev.jwq.Workqueue", false, null);
        WorkerBlocking.hooksNeeded();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 0 ? 30 : 0);
        while (sleeping.get() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000);
        }
        System.out.println("hooks-active " + (sleeping.get() > 0));
        Object monitor = new Object();
        report("park", () -> LockSupport.parkNanos(1_000));
        report("sleep", () -> Thread.sleep(1));
        report("wait", () -> {
            synchronized (monitor) {
                monitor.wait(1);
            }
        });
        Thread other = new Thread(() -> {
            while (MAIN.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // end only once main waits in join
            }
        });
        other.start();
        report("join", other::join);
        report("interrupted-sleep", () -> {
            Thread.currentThread().interrupt();
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException expected) {
                // running() must follow even when the blocking call throws
            }
        });
        report("none", () -> { });
    }

    interface Blocking {
        void run() throws Exception;
    }

    static void report(String what, Blocking b) throws Exception {
        int s0 = sleeping.get(), r0 = running.get();
        b.run();
        System.out.println("hook " + what + " " + (sleeping.get() - s0) + "/" + (running.get() - r0));
    }
}
