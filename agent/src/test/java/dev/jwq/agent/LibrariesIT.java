package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Real libraries from Maven Central that create their own pools, driven end to end under the agent. */
class LibrariesIT {
    /**
     * Client calls and server connections block in socket reads on jwq workers of one unbound
     * pool: concurrency management must learn of it (virtual workers from their carriers,
     * platform workers from the hooks on socket I/O), or both sides wait for each other until
     * the call timeout.
     */
    @Test
    void okHttpAndMockWebServerRunOnJwq() throws Exception {
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.OkHttpApp", "needs-handler");
        assertEquals(0, jwq.exit(), jwq::toString);
        assumeTrue(jwq.line("handler ").equals("true"), "the runtime installs no WorkerBlocking handler yet");
        assertEquals("true failures []", jwq.line("finished "), jwq::toString);
        assertEquals("20 true", jwq.line("bodies "));
        assertEquals("20", jwq.line("requests "));
        // jwq's workers: virtual threads on carriers (the default under the agent, which opens java.lang).
        assertEquals("[java.lang.VirtualThread]", jwq.line("callback-threads "), jwq::toString);
        assertEquals("dev.jwq.agent.boot.JwqThreadPoolExecutor", jwq.line("dispatcher "));
        String named = jwq.line("pool-thread-classes ");
        assertTrue(named.equals("[]") || named.equals("[java.lang.VirtualThread]"), "only jwq workers (renamed by the libraries): " + named);

        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.OkHttpApp");
        assertEquals("[java.lang.Thread]", jdk.line("callback-threads "), jdk::toString);
        assertEquals("[java.lang.Thread]", jdk.line("pool-thread-classes "), "the control run has the libraries' own threads");
    }

    @Test
    void hikariCpWithH2RunsOnJwq() throws Exception {
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.HikariApp");
        assertEquals(0, jwq.exit(), jwq::toString);
        assertEquals("400 sum 159600", jwq.line("rows "), jwq::toString);
        assertEquals("[]", jwq.line("pool-threads "), jwq::toString);
        assertTrue(Integer.parseInt(jwq.line("connections ")) >= 1, jwq::toString);
        assertEquals(java.util.List.of(), ChildJvm.warnings(jwq));

        ChildJvm.Result jdk = ChildJvm.run("mode=off", "org.example.app.HikariApp");
        assertEquals("400 sum 159600", jdk.line("rows "), jdk::toString);
        assertTrue(jdk.line("pool-threads ").contains("app-db housekeeper"), jdk::toString);
    }

    /**
     * Spring 6.1+: ThreadPoolTaskExecutor and ThreadPoolTaskScheduler make anonymous subclasses
     * of the JDK's executors; under the agent those extend jwq's, so their tasks (decorated,
     * repeated, cancelled) run on jwq workers carrying Spring's thread names.
     */
    @Test
    void springsTaskExecutorAndSchedulerRunOnJwq() throws Exception {
        ChildJvm.Result[] runs = withAndWithoutTheAgent("org.example.app.SpringApp");
        ChildJvm.Result jwq = runs[0], jdk = runs[1];
        for (String same : List.of("executor-sum ", "scheduler-repeated ", "scheduler-queue-after-cancel ", "terminated ")) {
            assertEquals(jdk.line(same), jwq.line(same), same + jwq);
        }
        assertEquals("4950 decorated 100", jwq.line("executor-sum "));
        assertEquals("dev.jwq.agent.boot.JwqThreadPoolExecutor", jwq.line("executor-class "));
        assertEquals("dev.jwq.agent.boot.JwqScheduledThreadPoolExecutor", jwq.line("scheduler-class "));
        assertEquals("java.util.concurrent.ThreadPoolExecutor", jdk.line("executor-class "));
        assertTrue(jwq.line("executor-threads ").matches("\\[spring-exec@jwq/u\\d+:N(, spring-exec@jwq/u\\d+:N)*]"), jwq::toString);
        assertTrue(jwq.line("scheduler-threads ").matches("\\[spring-sched@jwq/u\\d+:N(, spring-sched@jwq/u\\d+:N)*]"), jwq::toString);
        assertEquals("[spring-exec-N]", jdk.line("executor-threads "));
        assertTrue(jwq.err().contains("left alone: none"), jwq::toString);
        assertTrue(jwq.err().lines().anyMatch(l -> l.matches("jwq-agent: \\d+ call sites and 2 subclasses rewritten, 2 executors created .*")),
                jwq::toString);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /**
     * RxJava 3: computation() marks its threads with a class of its own, and refuses
     * blockingGet() there under failOnNonBlockingScheduler; it keeps those threads under the
     * agent (and the refusal), while io() runs on jwq.
     */
    @Test
    void rxJavaKeepsItsNonBlockingThreadsAndRunsIoOnJwq() throws Exception {
        ChildJvm.Result[] runs = withAndWithoutTheAgent("org.example.app.RxJavaApp");
        ChildJvm.Result jwq = runs[0], jdk = runs[1];
        assertEquals("500500", jwq.line("io-sum "));
        assertEquals(jdk.line("computation-sum "), jwq.line("computation-sum "), jwq::toString);
        assertEquals("refused", jwq.line("blocking-on-computation "), jwq::toString);
        assertEquals("refused", jdk.line("blocking-on-computation "));
        assertTrue(jwq.line("io-threads ").matches("\\[RxCachedThreadScheduler@jwq/u\\d+:(, RxCachedThreadScheduler@jwq/u\\d+:)*]"),
                jwq::toString);
        assertEquals("[RxCachedThreadScheduler]", jdk.line("io-threads "));
        assertTrue(jwq.err().contains("ThreadFactory making io.reactivex.rxjava3.internal.schedulers.RxThreadFactory$RxCustomThread threads"),
                jwq::toString);
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /**
     * Reactor: boundedElastic() runs on a subclass of ScheduledThreadPoolExecutor with plain
     * threads (on jwq under the agent); parallel() marks its threads NonBlocking and refuses
     * block() there, which it keeps doing under the agent.
     */
    @Test
    void reactorKeepsItsNonBlockingThreadsAndRunsBoundedElasticOnJwq() throws Exception {
        ChildJvm.Result[] runs = withAndWithoutTheAgent("org.example.app.ReactorApp");
        ChildJvm.Result jwq = runs[0], jdk = runs[1];
        assertEquals("20100", jwq.line("elastic-sum "));
        assertEquals(jdk.line("parallel-sum "), jwq.line("parallel-sum "), jwq::toString);
        assertEquals("refused", jwq.line("blocking-on-parallel "), jwq::toString);
        assertEquals("refused", jdk.line("blocking-on-parallel "));
        assertTrue(jwq.line("elastic-threads ").matches("\\[boundedElastic@jwq/u\\d+:(, boundedElastic@jwq/u\\d+:)*]"), jwq::toString);
        assertEquals("[boundedElastic]", jdk.line("elastic-threads "));
        assertEquals(List.of(), ChildJvm.warnings(jwq));
    }

    /** The program under the agent (report=true) and, as the control, without it; both must exit 0. */
    private static ChildJvm.Result[] withAndWithoutTheAgent(String main) throws Exception {
        ChildJvm.Result jwq = ChildJvm.run("report=true", main);
        ChildJvm.Result jdk = ChildJvm.run("mode=off", main);
        assertEquals(0, jwq.exit(), jwq::toString);
        assertEquals(0, jdk.exit(), jdk::toString);
        return new ChildJvm.Result[] {jwq, jdk};
    }
}
