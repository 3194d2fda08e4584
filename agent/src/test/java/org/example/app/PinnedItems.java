package org.example.app;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Queues one item on each CPU given of a per-CPU workqueue and prints the CPUs the worker that
 * ran it may use ({@code Cpus_allowed_list} of /proc/thread-self/status): "cpu N allowed LIST".
 */
public final class PinnedItems {
    public static void main(String[] args) throws Exception {
        try (Workqueue wq = Workqueue.builder("pinned-items").flags(WqFlag.PERCPU).build()) {
            for (String arg : args) {
                int cpu = Integer.parseInt(arg);
                CompletableFuture<String> allowed = new CompletableFuture<>();
                wq.queueOn(cpu, new Work(() -> allowed.complete(allowedList())));
                System.out.println("cpu " + cpu + " allowed " + allowed.get(30, TimeUnit.SECONDS));
            }
        }
    }

    private static String allowedList() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("?");
        } catch (Exception e) {
            return e.toString();
        }
    }
}
