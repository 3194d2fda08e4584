package dev.jwq.agent;

import dev.jwq.agent.boot.AgentReport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites the executor-creating call sites of one class:
 * <ul>
 * <li>{@code Executors.newXxx(args)} becomes {@code Rewrites.newXxx(args, "Class.method:line")};
 * <li>{@code new ThreadPoolExecutor(args)} becomes {@code new JwqThreadPoolExecutor(args, site)},
 *     and the same for {@code ScheduledThreadPoolExecutor};
 * <li>a class extending {@code ThreadPoolExecutor} (or {@code ScheduledThreadPoolExecutor}) is
 *     made to extend {@code JwqThreadPoolExecutor} (or its scheduled twin), and its constructors'
 *     {@code super(args)} calls become {@code super(args, site)}. Its overrides stay as they are:
 *     the jwq executors call {@code beforeExecute}, {@code afterExecute}, {@code terminated},
 *     {@code decorateTask} and {@code newTaskFor} where the JDK's do, and its
 *     {@code super.method()} calls reach the jwq executor (invokespecial starts from the direct
 *     superclass).
 * </ul>
 * A method reference to one of those factories ({@code Executors::newCachedThreadPool}, made
 * by {@code LambdaMetafactory}) or constructors ({@code ThreadPoolExecutor::new}) gets a
 * bridge: a private static method of the class, added to it, that calls the twin (or
 * constructs it) with the reference's site, and the reference points to it instead (it escaped
 * the agent, and the report, before). Not in an interface older than Java 9 (no
 * private interface methods), nor for {@code newWorkStealingPool}, whose result the lambda's
 * caller may cast to ForkJoinPool.
 * A {@code newWorkStealingPool} call directly followed by a cast to ForkJoinPool is left alone,
 * since a workqueue is not one; unknown overloads (a later JDK's) likewise. An unknown
 * constructor, once the NEW or the superclass has changed, cannot be left alone: the class is
 * then refused whole ({@link IllegalStateException}) and keeps the JDK's executors. The site
 * string is pushed right before the call, after the arguments; no frame changes, so the class
 * is written with {@link ClassWriter#COMPUTE_MAXS} only and untouched methods are copied as is.
 */
final class CallSiteRewriter extends ClassVisitor {
    static final String EXECUTORS = "java/util/concurrent/Executors";
    static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    private static final String REWRITES = "dev/jwq/agent/boot/Rewrites";
    private static final Map<String, String> REPLACEMENTS = Map.of(
            TPE, "dev/jwq/agent/boot/JwqThreadPoolExecutor",
            STPE, "dev/jwq/agent/boot/JwqScheduledThreadPoolExecutor");
    private static final String TF = "Ljava/util/concurrent/ThreadFactory;";
    /** name + descriptor of every Executors factory that Rewrites has a twin of. */
    private static final Set<String> FACTORIES = Set.of(
            "newFixedThreadPool(I)Ljava/util/concurrent/ExecutorService;",
            "newFixedThreadPool(I" + TF + ")Ljava/util/concurrent/ExecutorService;",
            "newCachedThreadPool()Ljava/util/concurrent/ExecutorService;",
            "newCachedThreadPool(" + TF + ")Ljava/util/concurrent/ExecutorService;",
            "newSingleThreadExecutor()Ljava/util/concurrent/ExecutorService;",
            "newSingleThreadExecutor(" + TF + ")Ljava/util/concurrent/ExecutorService;",
            "newScheduledThreadPool(I)Ljava/util/concurrent/ScheduledExecutorService;",
            "newScheduledThreadPool(I" + TF + ")Ljava/util/concurrent/ScheduledExecutorService;",
            "newSingleThreadScheduledExecutor()Ljava/util/concurrent/ScheduledExecutorService;",
            "newSingleThreadScheduledExecutor(" + TF + ")Ljava/util/concurrent/ScheduledExecutorService;",
            "newWorkStealingPool()Ljava/util/concurrent/ExecutorService;",
            "newWorkStealingPool(I)Ljava/util/concurrent/ExecutorService;");
    private static final String FORK_JOIN_POOL = "java/util/concurrent/ForkJoinPool";
    private static final String TU = "JLjava/util/concurrent/TimeUnit;Ljava/util/concurrent/BlockingQueue;";
    private static final String RH = "Ljava/util/concurrent/RejectedExecutionHandler;";
    /** owner + descriptor of every constructor the jwq executors have a twin of. */
    private static final Set<String> CONSTRUCTORS = Set.of(
            TPE + "(II" + TU + ")V", TPE + "(II" + TU + TF + ")V", TPE + "(II" + TU + RH + ")V",
            TPE + "(II" + TU + TF + RH + ")V",
            STPE + "(I)V", STPE + "(I" + TF + ")V", STPE + "(I" + RH + ")V", STPE + "(I" + TF + RH + ")V");

    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
    /** {@code LambdaMetafactory.FLAG_SERIALIZABLE}, in altMetafactory's flags (its fourth static argument). */
    private static final int FLAG_SERIALIZABLE = 1;
    /** Class file version 53 (Java 9): private interface methods, which a bridge in an interface is. */
    private static final int V9 = 53;

    private String className;
    private String internalName;
    private boolean isInterface;
    private int version;
    /** The bridges to add for method references ({@link #bridge}), in order. */
    private final List<Bridge> bridges = new ArrayList<>();
    /** TPE or STPE when this class extends it (and now extends the jwq twin instead), else null. */
    private String replacedSuper;
    private int rewritten;

    private CallSiteRewriter(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** The rewritten class file, or null if neither a call site nor its superclass was rewritten. */
    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        CallSiteRewriter rewriter = new CallSiteRewriter(writer);
        reader.accept(rewriter, 0);
        if (rewriter.rewritten == 0 && rewriter.replacedSuper == null) {
            return null;
        }
        byte[] out = writer.toByteArray();
        for (int i = 0; i < rewriter.rewritten; i++) {
            AgentReport.siteRewritten();
        }
        if (rewriter.replacedSuper != null) {
            AgentReport.subclassRewritten();
        }
        return out;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        className = name.replace('/', '.');
        internalName = name;
        isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        this.version = version & 0xFFFF;
        String twin = REPLACEMENTS.get(superName);
        if (twin != null) {
            replacedSuper = superName;
            super.visit(version, access, name, signature, twin, interfaces);
            return;
        }
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new Sites(super.visitMethod(access, name, descriptor, signature, exceptions), name);
    }

    /**
     * A bridge for one method reference: calls the twin of factory {@code name}{@code
     * descriptor}, or constructs the twin of class {@code constructed} (null for a factory) with
     * constructor {@code descriptor}, with {@code site}.
     */
    private record Bridge(String method, String name, String descriptor, String constructed, String site) {
        /** The bridge's own descriptor: a constructor's arguments, returning the class it constructs. */
        String bridgeDescriptor() {
            return constructed == null ? descriptor
                    : Type.getMethodDescriptor(Type.getObjectType(constructed), Type.getArgumentTypes(descriptor));
        }
    }

    /** The handle a method reference {@code h} (see {@code Sites.bridged}) points to instead: a new bridge of this class. */
    private Handle bridge(Handle h, String site) {
        String method = "jwq$executor$" + bridges.size();
        boolean constructor = h.getTag() == Opcodes.H_NEWINVOKESPECIAL;
        Bridge b = new Bridge(method, h.getName(), h.getDesc(), constructor ? h.getOwner() : null, site);
        bridges.add(b);
        return new Handle(Opcodes.H_INVOKESTATIC, internalName, method, b.bridgeDescriptor(), isInterface);
    }

    /** Adds the bridges: load the arguments, push the site, call the twin, return what it made. */
    @Override
    public void visitEnd() {
        for (Bridge b : bridges) {
            MethodVisitor mv = super.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    b.method(), b.bridgeDescriptor(), null, null);
            mv.visitCode();
            String twin = b.constructed() == null ? null : REPLACEMENTS.get(b.constructed());
            if (twin != null) {
                mv.visitTypeInsn(Opcodes.NEW, twin);
                mv.visitInsn(Opcodes.DUP);
            }
            int slot = 0;
            for (Type t : Type.getArgumentTypes(b.descriptor())) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitLdcInsn(b.site());
            if (twin != null) {
                mv.visitMethodInsn(Opcodes.INVOKESPECIAL, twin, "<init>", withSite(b.descriptor()), false);
            } else {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, REWRITES, b.name(), withSite(b.descriptor()), false);
            }
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0); // COMPUTE_MAXS
            mv.visitEnd();
        }
        super.visitEnd();
    }

    /** Whether a LambdaMetafactory call site makes a serializable lambda ({@code altMetafactory}'s FLAG_SERIALIZABLE). */
    private static boolean serializable(Handle bsm, Object[] bsmArgs) {
        return bsm.getName().equals("altMetafactory") && bsmArgs.length > 3 && bsmArgs[3] instanceof Integer flags
                && (flags & FLAG_SERIALIZABLE) != 0;
    }

    private static String withSite(String descriptor) {
        int close = descriptor.lastIndexOf(')');
        return descriptor.substring(0, close) + "Ljava/lang/String;" + descriptor.substring(close);
    }

    /** One method's call sites. */
    private final class Sites extends BeforeEachInstruction {
        private final String methodName;
        private int line = -1;
        /** One entry per NEW of TPE/STPE seen and not yet matched by its constructor call. */
        private final Deque<String> pendingNews = new ArrayDeque<>();
        /** A newWorkStealingPool call held back until the next instruction shows whether it is cast. */
        private String heldFactory;

        Sites(MethodVisitor next, String methodName) {
            super(next);
            this.methodName = methodName;
        }

        /** Any other instruction follows a held-back call: it was not cast, rewrite it. */
        @Override
        void before() {
            release(true);
        }

        private String site() {
            return className + "." + methodName + (line >= 0 ? ":" + line : "");
        }

        /** Emits a held-back call, rewritten (no cast followed) or not. */
        private void release(boolean rewrite) {
            String desc = heldFactory;
            if (desc == null) {
                return;
            }
            heldFactory = null;
            if (rewrite) {
                super.visitLdcInsn(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, REWRITES, "newWorkStealingPool", withSite(desc), false);
                rewritten++;
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, EXECUTORS, "newWorkStealingPool", desc, false);
                AgentReport.leftAlone("Executors.newWorkStealingPool cast to ForkJoinPool");
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            release(true);
            if (opcode == Opcodes.INVOKESTATIC && owner.equals(EXECUTORS) && FACTORIES.contains(name + descriptor)) {
                if (name.equals("newWorkStealingPool")) {
                    heldFactory = descriptor;
                    return;
                }
                super.visitLdcInsn(site());
                super.visitMethodInsn(opcode, REWRITES, name, withSite(descriptor), false);
                rewritten++;
                return;
            }
            String replacement = REPLACEMENTS.get(owner);
            if (opcode == Opcodes.INVOKESPECIAL && replacement != null && name.equals("<init>")) {
                boolean ofNew = !pendingNews.isEmpty() && pendingNews.peek().equals(owner);
                if (ofNew || owner.equals(replacedSuper)) {
                    if (!CONSTRUCTORS.contains(owner + descriptor)) {
                        throw new IllegalStateException("no jwq twin of constructor " + owner + descriptor);
                    }
                    if (ofNew) {
                        pendingNews.pop();
                        rewritten++;
                    }
                    super.visitLdcInsn(site());
                    super.visitMethodInsn(opcode, replacement, name, withSite(descriptor), false);
                    return;
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (heldFactory != null && opcode == Opcodes.CHECKCAST && type.equals(FORK_JOIN_POOL)) {
                release(false);
            } else {
                release(true);
            }
            String replacement = REPLACEMENTS.get(type);
            if (opcode == Opcodes.NEW && replacement != null) {
                pendingNews.push(type);
                super.visitTypeInsn(opcode, replacement);
                return;
            }
            super.visitTypeInsn(opcode, type);
        }

        /** A method reference to a factory (see the overview) points to a bridge that calls its twin. */
        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
            release(true);
            Object[] args = bsmArgs;
            if (bsm.getOwner().equals(LAMBDA_METAFACTORY) && (!isInterface || version >= V9)) {
                boolean serializable = serializable(bsm, bsmArgs);
                for (int i = 0; i < args.length; i++) {
                    if (!(args[i] instanceof Handle h) || !bridged(h, serializable)) {
                        continue;
                    }
                    if (args == bsmArgs) {
                        args = bsmArgs.clone();
                    }
                    args[i] = bridge(h, site());
                    rewritten++;
                }
            }
            super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
        }

        /**
         * Whether method reference {@code h} gets a bridge: a factory of Executors or a constructor
         * of ThreadPoolExecutor / ScheduledThreadPoolExecutor the jwq executors have a twin of;
         * {@code newWorkStealingPool} and an unknown constructor (a later JDK's) are left alone,
         * and reported, as is a serializable reference ({@code serializable}): its class's
         * {@code $deserializeLambda$} accepts only the method it was compiled with, so a bridged
         * one would not deserialize.
         */
        private boolean bridged(Handle h, boolean serializable) {
            if (h.getTag() == Opcodes.H_INVOKESTATIC && h.getOwner().equals(EXECUTORS) && FACTORIES.contains(h.getName() + h.getDesc())) {
                if (h.getName().equals("newWorkStealingPool")) {
                    AgentReport.leftAlone("Executors::newWorkStealingPool (a method reference: its result may be cast to ForkJoinPool)");
                    return false;
                }
                if (serializable) {
                    AgentReport.leftAlone("Executors::" + h.getName() + " (a serializable method reference)");
                    return false;
                }
                return true;
            }
            if (h.getTag() == Opcodes.H_NEWINVOKESPECIAL && REPLACEMENTS.containsKey(h.getOwner())) {
                String simpleName = h.getOwner().substring(h.getOwner().lastIndexOf('/') + 1);
                if (serializable) {
                    AgentReport.leftAlone(simpleName + "::new (a serializable constructor reference)");
                    return false;
                }
                if (!CONSTRUCTORS.contains(h.getOwner() + h.getDesc())) {
                    AgentReport.leftAlone(simpleName + "::new (a constructor reference with no jwq twin: " + h.getDesc() + ")");
                    return false;
                }
                return true;
            }
            return false;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            before();
            this.line = line;
            super.visitLineNumber(line, start);
        }
    }
}
