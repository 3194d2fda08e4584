package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {
    @Test
    void defaultsAreRewriteWithHooksAndNoReport() {
        for (String none : new String[] {null, "", "  "}) {
            AgentOptions o = AgentOptions.parse(none);
            assertEquals(AgentOptions.Mode.REWRITE, o.mode());
            assertTrue(o.hooks());
            assertFalse(o.report());
            assertEquals(List.of(), o.include());
        }
    }

    @Test
    void everyOptionIsRead() {
        AgentOptions o = AgentOptions.parse("mode=observe,include=com.acme.;org.foo.,exclude=com.acme.legacy.,hooks=false,report=true");
        assertEquals(AgentOptions.Mode.OBSERVE, o.mode());
        assertEquals(List.of("com/acme/", "org/foo/"), o.include());
        assertEquals(List.of("com/acme/legacy/"), o.exclude());
        assertFalse(o.hooks());
        assertTrue(o.report());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode=fast|mode=fast",
        "hooks=yes|hooks=yes",
        "report=1|report=1",
        "verbose=true|unknown option 'verbose'",
        "include=|include=",
        "include=com..;|include=com..;",
        "include=com acme|include=com acme",
        "report|'report' is not key=value",
        "mode=rewrite,,hooks=true|'' is not key=value",
    })
    void aBadOptionIsRefusedWithItsName(String options, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(options));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void theJdkAndJwqAreNeverCoveredAndIncludeExcludeFilterTheRest() {
        AgentOptions all = AgentOptions.parse(null);
        for (String jdk : new String[] {"java/lang/Thread", "javax/swing/Timer", "jdk/internal/X", "sun/nio/ch/Y",
                "com/sun/net/Z", "dev/jwq/Workqueue", "dev/jwq/agent/boot/Rewrites", "dev/jwq/spi/WorkerBlocking", "dev/jwq/cpu/CpuTopology",
                "dev/jwq/bench/cpusleep/Executor", "dev/jwq/tool/Main"}) {
            assertFalse(all.covers(jdk), jdk);
        }
        assertTrue(all.covers("org/example/App"));
        assertTrue(all.covers("dev/jwq/samples/Demo"));
        AgentOptions some = AgentOptions.parse("include=com.acme.,exclude=com.acme.legacy.");
        assertTrue(some.covers("com/acme/Service"));
        assertFalse(some.covers("com/acme/legacy/Old"));
        assertFalse(some.covers("org/example/App"));
    }
}
