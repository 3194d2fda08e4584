package org.example.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code PoolThroughput}'s fixed pool round by round, from a cold JVM: 200,000 tiny tasks from
 * one thread per round, each round's ns per task on one line, then the executor's class (the
 * rewritten one under the agent). For the warm-up figures of {@code docs/agent.md}.
 */
public final class WarmUpRounds {
    private WarmUpRounds() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int tasks = 200_000;
        ExecutorService e = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        StringBuilder line = new StringBuilder("ns-per-task by round:");
        for (int r = 0; r < rounds; r++) {
            line.append(' ').append(PoolThroughput.round(e, tasks) / tasks);
        }
        System.out.println(line + " (" + e.getClass().getSimpleName() + ")");
        e.shutdown();
        e.awaitTermination(1, TimeUnit.MINUTES);
    }
}
