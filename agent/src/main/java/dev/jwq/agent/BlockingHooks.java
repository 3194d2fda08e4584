package dev.jwq.agent;

import dev.jwq.spi.WorkerBlocking;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiPredicate;

/**
 * {@code hooks=true}: {@code WorkerBlocking.sleeping()} / {@code running(...)} around the JDK's blocking funnels, so that a jwq
 * worker that blocks in them is replaced at once (wq_worker_sleeping / wq_worker_running):
 * <ul>
 * <li>{@code LockSupport.park*}: every j.u.c lock, condition, queue, latch, future and
 *     {@code Thread.join} of a virtual thread ends there;
 * <li>{@code Thread.sleep(...)}: on JDK 21+ these are Java methods around {@code sleep0} (or a
 *     virtual thread's sleepNanos); the natives themselves cannot carry advice;
 * <li>{@code Object.wait(long)}: Java since JDK 19 around the native {@code wait0};
 *     {@code wait()} and {@code wait(long, int)} go through it, and so does a platform
 *     thread's {@code Thread.join}.
 * </ul>
 * Not hooked: monitor contention ({@code synchronized}, no bytecode to hook: the runtime's
 * sampler sees it as BLOCKED), {@code Thread.onSpinWait} (not blocking), blocking socket and file
 * I/O (many natives behind per-JDK internal classes; {@code Workqueues.blocking} is the way).
 * Only method bodies change, so the classes are retransformed in place.
 */
final class BlockingHooks implements ClassFileTransformer {
    /** Per class, which methods (name, descriptor) are wrapped; natives cannot be and are skipped. */
    private static final Map<Class<?>, BiPredicate<String, String>> TARGETS = Map.of(
            LockSupport.class, (name, desc) -> name.startsWith("park"),
            Thread.class, (name, desc) -> name.equals("sleep"),
            Object.class, (name, desc) -> name.equals("wait") && desc.equals("(J)V"));

    private BlockingHooks() {}

    static void install(Instrumentation inst) throws Exception {
        WorkerBlocking.sleeping(); // loads and initialises the SPI before any advice can reach it
        BootJar.letJavaBaseReadIt(inst);
        inst.addTransformer(new BlockingHooks(), true);
        inst.retransformClasses(TARGETS.keySet().toArray(new Class<?>[0]));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        BiPredicate<String, String> methods = classBeingRedefined == null ? null : TARGETS.get(classBeingRedefined);
        if (methods == null || loader != null) {
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
