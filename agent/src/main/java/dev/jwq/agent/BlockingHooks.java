package dev.jwq.agent;

import dev.jwq.spi.WorkerBlocking;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;

/**
 * {@code hooks=true}: {@code WorkerBlocking.sleeping()} / {@code running(...)} around the JDK's
 * blocking funnels ({@link BlockingHookRewriter}), so that a jwq worker that blocks in them is
 * replaced at once (wq_worker_sleeping / wq_worker_running):
 * <ul>
 * <li>{@code LockSupport.park*}: every j.u.c lock, condition, queue, latch, future and
 *     {@code Thread.join} of a virtual thread ends there;
 * <li>{@code Thread.sleep(...)}: on JDK 21+ these are Java methods around {@code sleep0} (or a
 *     virtual thread's sleepNanos); the natives themselves cannot be hooked;
 * <li>{@code Object.wait(long)}: Java since JDK 19 around the native {@code wait0};
 *     {@code wait()} and {@code wait(long, int)} go through it, and so does a platform
 *     thread's {@code Thread.join};
 * <li>socket I/O: {@code java.net.Socket} reads, writes, accepts and connects
 *     ({@code NioSocketImpl}), blocking {@code SocketChannel} reads and writes and the parking of
 *     channels ({@code SocketChannelImpl}, {@code SelChImpl.park}), and {@code Selector.select}.
 *     Without these, items blocked in a socket read look RUNNABLE to the sampler and an HTTP
 *     client and server sharing a pool starve each other (found with OkHttp and MockWebServer).
 * </ul>
 * Not hooked: monitor contention ({@code synchronized}: no bytecode to hook; the runtime's
 * sampler sees it as BLOCKED), {@code Thread.onSpinWait} (not blocking), file I/O (short, many
 * natives). Only method bodies change, so loaded classes are retransformed in place and the
 * others are changed as they load (all through the agent's {@link ChainedTransformer}).
 */
final class BlockingHooks implements ClassFileTransformer {
    /** Per class (internal name), which methods (name, descriptor) are wrapped; natives are skipped. */
    private static final Map<String, BiPredicate<String, String>> TARGETS = Map.of(
            "java/util/concurrent/locks/LockSupport", (name, desc) -> name.startsWith("park"),
            "java/lang/Thread", (name, desc) -> name.equals("sleep"),
            "java/lang/Object", (name, desc) -> name.equals("wait") && desc.equals("(J)V"),
            "sun/nio/ch/NioSocketImpl", (name, desc) -> name.equals("implRead") || name.equals("implWrite")
                    || name.equals("accept") || name.equals("connect") && desc.equals("(Ljava/net/SocketAddress;I)V"),
            "sun/nio/ch/SocketChannelImpl", (name, desc) -> name.equals("read") || name.equals("write")
                    || name.equals("connect") || name.equals("blockingRead") || name.equals("blockingWriteFully")
                    || name.equals("blockingConnect"),
            "sun/nio/ch/SelChImpl", (name, desc) -> name.equals("park"),
            "sun/nio/ch/SelectorImpl", (name, desc) -> name.equals("lockAndDoSelect"));

    /** Loading this class means jwq is in use: the JDK classes already loaded get their hooks then. */
    private static final String JWQ_API = "dev/jwq/Workqueue";

    private final Instrumentation inst;
    private final AtomicBoolean started = new AtomicBoolean();

    private BlockingHooks(Instrumentation inst) {
        this.inst = inst;
    }

    /**
     * Readies the hooks and adds them to the agent's transformer. JDK classes that load from now
     * on get their hooks as they load; those already loaded (Object, Thread, LockSupport) once
     * the jwq runtime's API is loaded: a program that never uses jwq never pays for them.
     */
    static void prepare(Instrumentation inst, ChainedTransformer transformer) {
        WorkerBlocking.sleeping(); // loads and initialises the SPI before any hook can reach it (java.base reads it: ModuleGrants)
        transformer.add(new BlockingHooks(inst));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || className == null) {
            return null;
        }
        if (className.equals(JWQ_API) && classBeingRedefined == null && started.compareAndSet(false, true)) {
            JwqAgent.retransformInBackground(inst, this, c -> TARGETS.containsKey(c.getName().replace('.', '/')));
        }
        BiPredicate<String, String> methods = TARGETS.get(className);
        if (methods == null) {
            return null;
        }
        try {
            return BlockingHookRewriter.rewrite(classfileBuffer, methods);
        } catch (Throwable t) {
            JwqAgent.warn("could not hook " + className.replace('/', '.') + " (" + t
                    + "); jwq learns of blocking there from its sampler only");
            return null;
        }
    }
}
