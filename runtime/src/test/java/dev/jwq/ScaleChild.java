package dev.jwq;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link ScaleTest}: started on a simulated topology ({@code jwq.sim.cpus},
 * {@code jwq.sim.sysfs}), it starts the runtime, lets it idle, loads it lightly, lets it idle
 * again, and prints what each stage costs, one {@code figure <name> <value>} line each:
 * live platform threads, heap used after a GC (KiB), pools alive (bound ones apart) and the
 * pwqs of the system per-CPU workqueue. Exit 0 when every item ran.
 */
final class ScaleChild {
    static final int ITEMS = 1000;

    private ScaleChild() {}

    public static void main(String[] args) throws Exception {
        print("cpus", Cpus.count());
        print("bareThreads", platformThreads());

        Workqueue events = Workqueues.system();
        Workqueue unbound = Workqueue.builder("x").build();
        settle();
        print("idleThreads", platformThreads());
        print("idleHeapKiB", heapAfterGcKiB());
        printPools("idle", events);

        // Lightly loaded: tiny items from one thread on the per-CPU and an unbound workqueue.
        CountDownLatch done = new CountDownLatch(2 * ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            events.queue(new Work(done::countDown));
            unbound.execute(done::countDown);
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.out.println("items left unrun: " + done.getCount());
            System.exit(1);
        }
        settle();
        print("loadedThreads", platformThreads());
        // Which ones, for a failure's report (ScaleTest prints this line).
        System.out.println("threads " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
        print("loadedHeapKiB", heapAfterGcKiB());
        printPools("loaded", events);
        System.exit(0);
    }

    /** Lets start-up's short-lived helpers end: the jwq/jmx registration thread lingers a second. */
    private static void settle() throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            Thread.sleep(200);
        } while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("jwq/jmx"))
                && System.nanoTime() < giveUp);
    }

    /** Live platform threads (getAllStackTraces leaves virtual threads out). */
    private static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    private static long heapAfterGcKiB() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (rt.totalMemory() - rt.freeMemory()) >> 10;
    }

    private static void printPools(String stage, Workqueue percpu) {
        print(stage + "BoundPools", Pools.all().stream().filter(p -> p.cpu >= 0).count());
        print(stage + "UnboundPools", Pools.all().stream().filter(p -> p.cpu < 0).count());
        print(stage + "SystemPwqs", percpu.pwqs.all().size());
    }

    private static void print(String name, long value) {
        System.out.println("figure " + name + " " + value);
    }
}
