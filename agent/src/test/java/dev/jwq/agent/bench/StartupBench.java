package dev.jwq.agent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Start-up cost of the agent: wall time of a hello-world and of a program that loads and
 * initialises 5,000 classes (generated into a jar here; in a second version 1 in 100 creates an
 * executor), each with and without {@code -javaagent}, runs interleaved, medians reported.
 *
 * <pre>
 * mvn -B -q package -pl agent -am -DskipTests
 * java -cp agent/target/test-classes:$HOME/.m2/repository/net/bytebuddy/byte-buddy/1.18.14/byte-buddy-1.18.14.jar \
 *      dev.jwq.agent.bench.StartupBench agent/target/jwq-agent.jar 15 [hello]
 * </pre>
 * The child JVMs are the JVM running this harness (run it with JDK 25).
 */
public final class StartupBench {
    static final int CLASSES = 5_000;

    public static void main(String[] args) throws Exception {
        Path agent = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        Path dir = Files.createTempDirectory("jwq-startup");
        Path jar = dir.resolve("app.jar");
        writeApp(jar);
        String java = ProcessHandle.current().info().command().orElseThrow();

        Path empty = dir.resolve("empty-agent.jar");
        writeEmptyAgent(empty);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("no agent", List.of());
        variants.put("empty agent (floor)", List.of("-javaagent:" + empty));
        variants.put("agent (rewrite, hooks)", List.of("-javaagent:" + agent));
        variants.put("agent hooks=false", List.of("-javaagent:" + agent + "=hooks=false"));
        variants.put("agent mode=off", List.of("-javaagent:" + agent + "=mode=off"));
        Map<String, String> programs = new LinkedHashMap<>();
        programs.put("gen.Hello", "hello world");
        if (args.length <= 2 || !args[2].equals("hello")) { // "hello": the first program only
            programs.put("gen.Main", CLASSES + " classes");
            programs.put("gen.MainExec", CLASSES + " classes, 50 of them creating an executor");
        }
        for (String program : programs.keySet()) {
            Map<String, long[]> times = new LinkedHashMap<>();
            variants.keySet().forEach(v -> times.put(v, new long[runs]));
            for (int r = -2; r < runs; r++) { // two warm-up rounds (page cache, extracted boot jar)
                for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                    List<String> cmd = new ArrayList<>(List.of(java));
                    cmd.addAll(v.getValue());
                    cmd.addAll(List.of("-cp", jar.toString(), program));
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException(cmd + " exited " + p.exitValue());
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (r >= 0) {
                        times.get(v.getKey())[r] = ms;
                    }
                }
            }
            long base = median(times.get("no agent"));
            System.out.printf("%s (%d runs, median wall ms)%n", programs.get(program), runs);
            for (Map.Entry<String, long[]> t : times.entrySet()) {
                long m = median(t.getValue());
                System.out.printf("  %-24s %6d ms   %+5d ms  %+6.1f %%%n", t.getKey(), m, m - base, 100.0 * (m - base) / base);
            }
        }
    }

    static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /**
     * An agent whose premain does nothing: what {@code -javaagent} itself costs (the JVM's
     * instrumentation support, the jar on the class path), the floor under any agent's figure.
     */
    static void writeEmptyAgent(Path jar) throws IOException {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", "gen.EmptyAgent");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "gen/EmptyAgent", null, "java/lang/Object", null);
            MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "premain",
                    "(Ljava/lang/String;Ljava/lang/instrument/Instrumentation;)V", null, null);
            m.visitCode();
            m.visitInsn(Opcodes.RETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
            cw.visitEnd();
            put(out, "gen/EmptyAgent", cw.toByteArray());
        }
    }

    /**
     * gen.Hello; gen.Main, which initialises gen.C0 .. gen.C4999 and sums what they return;
     * gen.MainExec, the same with every hundredth class one (gen.E*) that creates an executor.
     */
    static void writeApp(Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            put(out, "gen/Hello", mainClass("gen/Hello", 0));
            put(out, "gen/Main", mainClass("gen/Main", 1));
            put(out, "gen/MainExec", mainClass("gen/MainExec", 2));
            for (int i = 0; i < CLASSES; i++) {
                put(out, "gen/C" + i, leaf("gen/C" + i, i, false));
                if (i % 100 == 0) {
                    put(out, "gen/E" + i, leaf("gen/E" + i, i, true));
                }
            }
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name + ".class"));
        out.write(bytes);
        out.closeEntry();
    }

    /** A class with a few methods; {@code executor}: it also creates (and shuts down) an executor. */
    private static byte[] leaf(String name, int i, boolean executor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, name, null, "java/lang/Object", null);
        for (int m = 0; m < 4; m++) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "f" + m, "(I)I", null, null);
            mv.visitCode();
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitLdcInsn(i * 31 + m);
            mv.visitInsn(Opcodes.IADD);
            mv.visitLdcInsn("text of " + name + " " + m);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
            mv.visitInsn(Opcodes.IXOR);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "value", "()I", null, null);
        mv.visitCode();
        if (executor) {
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/concurrent/Executors", "newFixedThreadPool",
                    "(I)Ljava/util/concurrent/ExecutorService;", false);
            mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/concurrent/ExecutorService", "shutdown", "()V", true);
        }
        mv.visitLdcInsn(i);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, name, "f3", "(I)I", false);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code kind}: 0 hello, 1 all gen.C*, 2 gen.C* with gen.E* in place of every hundredth. */
    private static byte[] mainClass(String name, int kind) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/System", "out", "Ljava/io/PrintStream;");
        if (kind > 0) {
            mv.visitInsn(Opcodes.ICONST_0);
            for (int i = 0; i < CLASSES; i++) {
                String leaf = (kind == 2 && i % 100 == 0 ? "gen/E" : "gen/C") + i;
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, leaf, "value", "()I", false);
                mv.visitInsn(Opcodes.IADD); // 5,000 x 4 bytes: well under the 64 KiB method limit
            }
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/PrintStream", "println", "(I)V", false);
        } else {
            mv.visitLdcInsn("hello");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/PrintStream", "println", "(Ljava/lang/String;)V", false);
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
