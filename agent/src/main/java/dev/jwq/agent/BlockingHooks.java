package dev.jwq.agent;

import dev.jwq.spi.WorkerBlocking;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;

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
 * others are changed as they load (all through the agent's {@link ChainedTransformer}), from the
 * moment the jwq runtime says its workers are platform threads ({@link #start()}); virtual
 * workers need none of this, their carriers see every blocking the JDK unmounts on.
 */
final class BlockingHooks implements ClassFileTransformer {
    /** The classes (internal names) with methods to wrap. */
    private static final Set<String> CLASSES = Set.of("java/util/concurrent/locks/LockSupport", "java/lang/Thread",
            "java/lang/Object", "sun/nio/ch/NioSocketImpl", "sun/nio/ch/SocketChannelImpl", "sun/nio/ch/SelChImpl",
            "sun/nio/ch/SelectorImpl");

    /**
     * Whether method {@code name}{@code desc} of class {@code owner} is wrapped (natives are
     * skipped by the rewriter). A switch rather than a table of lambdas: premain links no
     * lambda, which would cost the JVM's lambda machinery at every start.
     */
    static boolean wraps(String owner, String name, String desc) {
        return switch (owner) {
            case "java/util/concurrent/locks/LockSupport" -> name.startsWith("park");
            case "java/lang/Thread" -> name.equals("sleep");
            case "java/lang/Object" -> name.equals("wait") && desc.equals("(J)V");
            case "sun/nio/ch/NioSocketImpl" -> name.equals("implRead") || name.equals("implWrite")
                    || name.equals("accept") || name.equals("connect") && desc.equals("(Ljava/net/SocketAddress;I)V");
            case "sun/nio/ch/SocketChannelImpl" -> name.equals("read") || name.equals("write") || name.equals("connect")
                    || name.equals("blockingRead") || name.equals("blockingWriteFully") || name.equals("blockingConnect");
            case "sun/nio/ch/SelChImpl" -> name.equals("park");
            case "sun/nio/ch/SelectorImpl" -> name.equals("lockAndDoSelect");
            default -> false;
        };
    }

    private final Instrumentation inst;
    private volatile boolean started; // V: set once, when the jwq runtime first loads

    BlockingHooks(Instrumentation inst) {
        this.inst = inst;
    }

    /**
     * Starts the hooks, when the jwq runtime, loaded, says its workers are platform threads
     * ({@link RuntimeStart}; java.base already reads the runtime's module then): JDK classes that
     * load from now on get their hooks as they load, those already loaded (Object, Thread,
     * LockSupport, the socket classes an application opened before) before this returns, so
     * before the runtime has a worker. A program that never uses jwq never pays for them.
     */
    void start() {
        WorkerBlocking.running(false); // loads and initialises the SPI before any hook can reach it; does nothing
        started = true;             // before the loaded classes are listed: one loading meanwhile is hooked as it loads
        JwqAgent.retransformNow(inst, this, c -> CLASSES.contains(c.getName().replace('.', '/')));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (!started || loader != null || className == null || !CLASSES.contains(className)) {
            return null;
        }
        try {
            return BlockingHookRewriter.rewrite(classfileBuffer, (name, desc) -> wraps(className, name, desc));
        } catch (Throwable t) {
            JwqAgent.warn("could not hook " + className.replace('/', '.') + " (" + t
                    + "); jwq learns of blocking there from its sampler only");
            return null;
        }
    }
}
