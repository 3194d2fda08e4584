package dev.jwq.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code mode=observe}: in {@code ThreadPoolExecutor.runWorker}, the one {@code task.run()} call
 * becomes {@code Observe.run(task, this)}, which records a JFR event around the task. Nothing is
 * wrapped, so custom and priority queues, {@code remove}, {@code purge} and the list that
 * {@code shutdownNow} returns all see the application's own tasks; every ThreadPoolExecutor and
 * ScheduledThreadPoolExecutor (and their subclasses) is covered, since all run their tasks there.
 * Only a method body changes, so the class is retransformed in place.
 */
final class ObserveTransformer implements ClassFileTransformer {
    private static final String TPE = "java/util/concurrent/ThreadPoolExecutor";

    ObserveTransformer() {}

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || !TPE.equals(className)) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(classfileBuffer);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            int[] replaced = new int[1];
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                    if (!name.equals("runWorker")) {
                        return mv;
                    }
                    return new MethodVisitor(Opcodes.ASM9, mv) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
                            if (opcode == Opcodes.INVOKEINTERFACE && owner.equals("java/lang/Runnable")
                                    && mName.equals("run") && mDesc.equals("()V")) {
                                super.visitVarInsn(Opcodes.ALOAD, 0);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/jwq/agent/boot/Observe", "run",
                                        "(Ljava/lang/Runnable;L" + TPE + ";)V", false);
                                replaced[0]++;
                                return;
                            }
                            super.visitMethodInsn(opcode, owner, mName, mDesc, itf);
                        }
                    };
                }
            }, 0);
            if (replaced[0] != 1) {
                JwqAgent.warn("ThreadPoolExecutor.runWorker of this JDK has " + replaced[0]
                        + " task.run() calls, not 1; mode=observe records nothing");
                return null;
            }
            return writer.toByteArray();
        } catch (Throwable t) {
            JwqAgent.warn("could not observe ThreadPoolExecutor (" + t + "); mode=observe records nothing");
            return null;
        }
    }
}
