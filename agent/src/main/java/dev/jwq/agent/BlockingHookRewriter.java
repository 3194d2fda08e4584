package dev.jwq.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Wraps the bodies of chosen methods in
 * <pre>{@code
 * boolean slept = WorkerBlocking.sleeping();
 * try { <body> } finally { WorkerBlocking.running(slept); }
 * }</pre>
 * by hand with ASM, which costs a few milliseconds at start where Byte Buddy's Advice cost
 * about 700 ms (loading Byte Buddy itself). Neither call throws, by the SPI's contract.
 *
 * <p>{@code slept} goes in a new local slot just past the method's own ({@code max_locals}, read
 * in a first pass). The class is read with expanded frames: every existing frame gains that slot
 * as an int, and the catch-all handler, appended after the method's own handlers so that they
 * still match first, gets a frame with only that slot known. Methods are changed in place, so the
 * classes can be retransformed.
 */
final class BlockingHookRewriter {
    private static final String SPI = "dev/jwq/spi/WorkerBlocking";

    private BlockingHookRewriter() {}

    /** The class with every non-native, non-abstract method that {@code wrap(name, descriptor)} accepts wrapped. */
    static byte[] rewrite(byte[] classFile, BiPredicate<String, String> wrap) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Integer> maxLocals = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!wrap.test(name, descriptor)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int locals) {
                        maxLocals.put(name + descriptor, locals);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        // With the reader, the writer copies the constant pool and every method left alone as is.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                Integer slot = maxLocals.get(name + descriptor);
                return slot == null || (access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) != 0
                        ? mv : new Wrapped(mv, slot);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** One wrapped method body. */
    private static final class Wrapped extends BeforeEachInstruction {
        private final int slept;          // the new local's slot
        private final Label start = new Label(), end = new Label(), handler = new Label();
        private boolean prologueDone;

        Wrapped(MethodVisitor next, int slept) {
            super(next);
            this.slept = slept;
        }

        @Override
        void before() {
            prologue();
        }

        /**
         * The reader visits all of a method's handlers before its first instruction: ours is
         * declared after them (so theirs match first) and before its labels are visited.
         */
        private void prologue() {
            if (prologueDone) {
                return;
            }
            prologueDone = true;
            super.visitTryCatchBlock(start, end, handler, null);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPI, "sleeping", "()Z", false);
            super.visitVarInsn(Opcodes.ISTORE, slept);
            super.visitLabel(start);
        }

        private void callRunning() {
            super.visitVarInsn(Opcodes.ILOAD, slept);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPI, "running", "(Z)V", false);
        }

        @Override
        public void visitInsn(int opcode) {
            prologue();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                callRunning();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            prologue();
            Object[] locals = withSlept(local, numLocal);
            super.visitFrame(type, locals.length, locals, numStack, stack);
        }

        /** The frame's locals padded with TOP up to our slot, which holds an int. */
        private Object[] withSlept(Object[] local, int numLocal) {
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            Object[] out = new Object[numLocal + (slept - slots) + 1];
            System.arraycopy(local, 0, out, 0, numLocal);
            for (int i = numLocal; i < out.length - 1; i++) {
                out[i] = Opcodes.TOP;
            }
            out[out.length - 1] = Opcodes.INTEGER;
            return out;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            prologue();
            super.visitLabel(end);
            super.visitLabel(handler);
            Object[] locals = withSlept(new Object[0], 0);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            callRunning();
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(maxStack, maxLocals);
        }
    }
}
