package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Real libraries from Maven Central that create their own pools, driven end to end under the agent. */
class LibrariesIT {
    /**
     * Client calls and server connections block in socket reads on jwq workers of one unbound
     * pool: only the hooks on socket I/O tell concurrency management, so this needs the runtime's
     * WorkerBlocking handler (without it both sides wait for each other until the call timeout).
     */
    @Test
    void okHttpAndMockWebServerRunOnJwq() throws Exception {
        ChildJvm.Result jwq = ChildJvm.run("report=true", "org.example.app.OkHttpApp", "needs-handler");
        assertEquals(0, jwq.exit(), jwq::toString);
        assumeTrue(jwq.line("handler ").equals("true"), "the runtime installs no WorkerBlocking handler yet");
        assertEquals("true failures []", jwq.line("finished "), jwq::toString);
        assertEquals("20 true", jwq.line("bodies "));
        assertEquals("20", jwq.line("requests "));
        assertEquals("[dev.jwq.Worker]", jwq.line("callback-threads "), jwq::toString);
        assertEquals("dev.jwq.agent.boot.JwqThreadPoolExecutor", jwq.line("dispatcher "));
        String named = jwq.line("pool-thread-classes ");
        assertTrue(named.equals("[]") || named.equals("[dev.jwq.Worker]"), "only jwq workers (renamed by the libraries): " + named);

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
}
