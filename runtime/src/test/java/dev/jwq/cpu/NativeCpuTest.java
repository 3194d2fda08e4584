package dev.jwq.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class NativeCpuTest {
    private static final NativeCpu CPU = NativeCpu.get();

    /* --------------- Choosing the implementation --------------- */

    @Test
    void offLinuxTheFallbackIsChosen() {
        NativeCpu n = NativeCpu.select(25, "Mac OS X", NativeCpu.FFM_CLASS);
        assertEquals("not Linux (os.name is Mac OS X)", n.unavailableReason());
        assertFallbackBehaviour(n);
    }

    @Test
    void beforeJava22TheFallbackIsChosen() {
        NativeCpu n = NativeCpu.select(21, "Linux", NativeCpu.FFM_CLASS);
        assertTrue(n.unavailableReason().startsWith("the JDK has no FFM API (Java 22+ needed"), n.unavailableReason());
        assertFallbackBehaviour(n);
    }

    @Test
    void withoutTheFfmClassesTheFallbackIsChosen() {
        NativeCpu n = NativeCpu.select(25, "Linux", "dev.jwq.cpu.NoSuchClass");
        assertTrue(n.unavailableReason().contains("META-INF/versions/22"), n.unavailableReason());
        assertFallbackBehaviour(n);
    }

    @Test
    void aFailingSetUpFallsBackAndSaysWhy() {
        NativeCpu n = NativeCpu.select(25, "Linux", ThrowsInConstructor.class.getName());
        assertTrue(n.unavailableReason().contains("no sched_getcpu here"), n.unavailableReason());
        assertFallbackBehaviour(n);
        n = NativeCpu.select(25, "Linux", ThrowsInStaticInit.class.getName());
        assertTrue(n.unavailableReason().contains("symbol missing"), n.unavailableReason());
        assertFallbackBehaviour(n);
        n = NativeCpu.select(25, "Linux", String.class.getName());
        assertTrue(n.unavailableReason().startsWith("the native calls could not be set up"), n.unavailableReason());
    }

    private static void assertFallbackBehaviour(NativeCpu n) {
        assertTrue(n instanceof UnavailableCpu, n.toString());
        assertEquals(-1, n.currentCpu());
        assertNull(n.allowedCpus());
        String reason = n.unavailableReason();
        FreshThread.call(() -> {
            BitSet one = new BitSet();
            one.set(0);
            assertNull(n.lastFailure());
            assertFalse(n.pinCurrentThread(one));
            assertEquals(reason, n.lastFailure());
            assertFalse(n.raiseCurrentThreadPriority());
            assertEquals(reason, n.lastFailure());
            return null;
        });
    }

    /** Stands for an FFM class whose set-up fails in its constructor. */
    static final class ThrowsInConstructor extends UnavailableCpu {
        ThrowsInConstructor() {
            super("never");
            throw new IllegalStateException("no sched_getcpu here");
        }
    }

    /** Stands for an FFM class whose static handles cannot be bound. */
    static final class ThrowsInStaticInit extends UnavailableCpu {
        static final Object SYMBOL = missing();

        ThrowsInStaticInit() {
            super("never");
        }

        private static Object missing() {
            throw new UnsatisfiedLinkError("symbol missing");
        }
    }

    @Test
    void badInputIsNamed() {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> CPU.pinCurrentThread(null));
        assertEquals("cpus is null", npe.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.pinCurrentThread(new BitSet()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    /* --------------- The FFM calls on this machine --------------- */

    private static void assumeFfm() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && Runtime.version().feature() >= 22,
                "FFM calls need Linux and Java 22+");
        // On Linux with Java 22+ the FFM implementation must load: a fallback here is a build bug.
        assertNull(CPU.unavailableReason(), "NativeCpu fell back on Linux, Java " + Runtime.version().feature());
        assumeTrue(ThreadStatus.available(), "/proc/thread-self is needed to read pinning back");
    }

    @Test
    void allowedCpusAreWhatLinuxSays() {
        assumeFfm();
        assertEquals(ThreadStatus.processAllowedList(), CpuLists.format(CPU.allowedCpus()));
        String onFresh = FreshThread.call(() -> CpuLists.format(CPU.allowedCpus()) + " " + ThreadStatus.allowedList());
        String[] both = onFresh.split(" ");
        assertEquals(both[1], both[0]);
    }

    @Test
    void currentCpuIsAnAllowedCpu() {
        assumeFfm();
        BitSet allowed = CPU.allowedCpus();
        for (int i = 0; i < 1000; i++) {
            int cpu = CPU.currentCpu();
            assertTrue(allowed.get(cpu), "CPU " + cpu + " is not in " + allowed);
        }
    }

    @Test
    void aFreshThreadPinnedToEachCpuRunsOnlyThere() {
        assumeFfm();
        BitSet allowed = CPU.allowedCpus();
        allowed.stream().forEach(cpu -> {
            String seen = FreshThread.call(() -> {
                BitSet one = new BitSet();
                one.set(cpu);
                assertTrue(CPU.pinCurrentThread(one), () -> "pin to " + cpu + ": " + CPU.lastFailure());
                return ThreadStatus.allowedList() + " " + CpuLists.format(CPU.allowedCpus()) + " " + CPU.currentCpu();
            });
            assertEquals(cpu + " " + cpu + " " + cpu, seen);
        });
        // Pinning one thread leaves the others alone.
        assertEquals(ThreadStatus.processAllowedList(), ThreadStatus.allowedList());
    }

    @Test
    void aThreadCanBePinnedToASet() {
        assumeFfm();
        BitSet allowed = CPU.allowedCpus();
        assertEquals(CpuLists.format(allowed), FreshThread.call(() -> {
            BitSet one = new BitSet();
            one.set(allowed.nextSetBit(0));
            assertTrue(CPU.pinCurrentThread(one));
            assertTrue(CPU.pinCurrentThread(allowed)); // widening again is allowed
            return ThreadStatus.allowedList();
        }));
    }

    @Test
    void aRefusedPinKeepsErrnoAndChangesNothing() {
        assumeFfm();
        String result = FreshThread.call(() -> {
            String before = ThreadStatus.allowedList();
            BitSet nowhere = new BitSet();
            nowhere.set(4000); // no such CPU: EINVAL, and a mask larger than glibc's cpu_set_t
            boolean pinned = CPU.pinCurrentThread(nowhere);
            return pinned + "|" + CPU.lastFailure() + "|" + before.equals(ThreadStatus.allowedList());
        });
        String[] parts = result.split("\\|");
        assertEquals("false", parts[0]);
        assertTrue(parts[1].contains("EINVAL") && parts[1].contains("errno 22"), parts[1]);
        assertEquals("true", parts[2]);
    }

    @Test
    void raisingThePriorityLowersTheNiceValueOrSaysWhyNot() {
        assumeFfm();
        String result = FreshThread.call(() -> {
            int before = ThreadStatus.nice();
            boolean raised = CPU.raiseCurrentThreadPriority();
            return raised + "|" + before + "|" + ThreadStatus.nice() + "|" + CPU.lastFailure();
        });
        String[] parts = result.split("\\|");
        int before = Integer.parseInt(parts[1]);
        int after = Integer.parseInt(parts[2]);
        if (parts[0].equals("true")) {
            assertTrue(after < before || after == -20, result);
        } else {
            // Refused (no CAP_SYS_NICE): errno kept, nothing changed. PinningChildJvmTest forces this case.
            assertTrue(parts[3].contains("errno"), result);
            assertEquals(before, after, result);
        }
        // Only that thread changed.
        assertEquals(before, ThreadStatus.nice());
    }
}
