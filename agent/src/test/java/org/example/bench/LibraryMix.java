package org.example.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program on real libraries' executors, for the agent's cost figures ({@code CostBench}):
 * OkHttp with MockWebServer, HikariCP with H2, Spring's task executor and scheduler, RxJava's
 * io() and computation(), Reactor's boundedElastic() and parallel(), each driven as its test
 * app drives it, {@code rounds} times. Prints the peak resident set (VmHWM) at the end.
 */
public final class LibraryMix {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            org.example.app.OkHttpApp.main(new String[0]);
            org.example.app.HikariApp.main(new String[0]);
            org.example.app.SpringApp.main(new String[0]);
            org.example.app.RxJavaApp.main(new String[0]);
            org.example.app.ReactorApp.main(new String[0]);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.setOut(out);
        System.out.println("work-ms " + ms);
        System.out.println("rss-peak-kb " + PoolThroughput.status("VmHWM"));
        System.out.println("threads-peak " + java.lang.management.ManagementFactory.getThreadMXBean().getPeakThreadCount());
    }
}
