package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link VirtualThreadAccess}: available in this JVM (surefire opens java.lang), unavailable
 * with a reason that names the flag in a child JVM without it, and unavailable, never throwing,
 * on a JDK without the constructor or without continuations.
 */
class VirtualThreadAccessTest {

    @Test
    void withJavaLangOpenVirtualThreadsRunTheirContinuationsOnOurExecutor() throws Exception {
        assertNull(VirtualThreadAccess.unavailableReason());
        assertTrue(VirtualThreadAccess.available());
        List<Runnable> submitted = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread t = VirtualThreadAccess.unstarted(submitted::add, "jwq/test:1", () -> ranOn.set(Thread.currentThread()));
        assertTrue(t.isVirtual());
        assertEquals("jwq/test:1", t.getName());
        t.start();
        assertEquals(1, submitted.size(), "start hands the continuation to our executor, nowhere else");
        assertNull(ranOn.get(), "nothing runs until the executor runs the continuation");
        submitted.get(0).run(); // this (platform) thread is the carrier
        t.join();
        assertSame(t, ranOn.get());
    }

    @Test
    void aVirtualThreadFindsTheCarrierItRunsOn() throws Exception {
        List<Runnable> submitted = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> carrier = new AtomicReference<>();
        Thread t = VirtualThreadAccess.unstarted(submitted::add, "jwq/test:2", () -> carrier.set(VirtualThreadAccess.currentCarrier()));
        t.start();
        submitted.get(0).run(); // this (platform) thread is the carrier
        t.join();
        assertSame(Thread.currentThread(), carrier.get(), "the thread that ran the continuation");
        assertSame(Thread.currentThread(), VirtualThreadAccess.currentCarrier(), "a platform thread is its own carrier");
        assertNull(VirtualThreadAccess.findStaticOfThread("noSuchMethodOfThread"), "a JDK without the method: null, no exception");
    }

    @Test
    void withoutTheFlagItIsUnavailableAndSaysWhichFlag() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Child.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("carrier=null"), r.output());
        assertTrue(r.output().contains("available=false"), r.output());
        assertTrue(r.output().contains("--add-opens java.base/java.lang=ALL-UNNAMED"), r.output());
        assertTrue(r.output().contains("builder=UnsupportedOperationException"), r.output());
    }

    /** Prints what {@link VirtualThreadAccess} says in a JVM started without {@code --add-opens}. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("available=" + VirtualThreadAccess.available());
            System.out.println("reason=" + VirtualThreadAccess.unavailableReason());
            System.out.println("carrier=" + VirtualThreadAccess.currentCarrier());
            try {
                VirtualThreadAccess.builder(Runnable::run);
                System.out.println("builder=built");
            } catch (UnsupportedOperationException e) {
                System.out.println("builder=UnsupportedOperationException " + e.getMessage());
            }
        }
    }

    @Test
    void aJdkWithoutTheConstructorIsUnavailableWithAReason() {
        VirtualThreadAccess.Probe p = VirtualThreadAccess.probe(() -> {
            throw new NoSuchMethodException("java.lang.ThreadBuilders$VirtualThreadBuilder.<init>(java.util.concurrent.Executor)");
        });
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("has no " + VirtualThreadAccess.BUILDER_CLASS), p.unavailableReason());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> p.builder(Runnable::run));
        assertEquals(p.unavailableReason(), e.getMessage());
    }

    @Test
    void aJdkWithoutTheClassIsUnavailableWithAReason() {
        VirtualThreadAccess.Probe p = VirtualThreadAccess.probe(() -> Class.forName("java.lang.NoSuchBuilder$Either")
                .getDeclaredConstructor(Executor.class));
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("ClassNotFoundException"), p.unavailableReason());
    }

    @Test
    void aConstructorThatRefusesIsUnavailableWithItsReason() {
        // As the JDK's does when the VM runs without continuations.
        VirtualThreadAccess.Probe p = VirtualThreadAccess.probe(() -> Refusing.class.getDeclaredConstructor(Executor.class));
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("UnsupportedOperationException: no continuations"), p.unavailableReason());
    }

    @Test
    void aConstructorOfSomethingElseIsUnavailable() {
        VirtualThreadAccess.Probe p = VirtualThreadAccess.probe(() -> NotABuilder.class.getDeclaredConstructor(Executor.class));
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("not a Thread.Builder.OfVirtual"), p.unavailableReason());
    }

    @Test
    void aLookupThatFailsOddlyIsUnavailableNotAnException() {
        VirtualThreadAccess.Probe p = VirtualThreadAccess.probe(() -> {
            throw new IllegalStateException("odd");
        });
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("odd"), p.unavailableReason());
    }

    static final class Refusing {
        Refusing(Executor scheduler) {
            throw new UnsupportedOperationException("no continuations");
        }
    }

    static final class NotABuilder {
        NotABuilder(Executor scheduler) {}
    }
}
