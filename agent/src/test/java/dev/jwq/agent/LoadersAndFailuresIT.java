package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Class loaders, classes the agent cannot rewrite, and bad options, each in a child JVM. */
class LoadersAndFailuresIT {
    @Test
    void classesOfAChildFirstLoaderAreRewrittenAndTheirTasksSeeTheCreatorsContextLoader() throws Exception {
        ChildJvm.Result r = ChildJvm.run("", "org.example.app.ChildFirstMain");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("child-first", r.line("loader "), r::toString);
        assertTrue(r.line("result ").matches("LoadedApp\\.call:\\d+@jwq/u\\d+,true;LoadedApp\\.call:\\d+@jwq/u\\d+,true;"
                + "JwqThreadPoolExecutor"), r::toString);
        assertEquals(List.of(), ChildJvm.warnings(r));
    }

    /**
     * A method of 13,000 executor calls: 65,000 bytes, legal, but past 64 KiB once each call gets
     * its site string. The agent must leave the whole class as it was, say so once, and go on.
     */
    @Test
    void aClassTheAgentCannotRewriteStaysUntouchedAndTheApplicationRuns(@TempDir Path dir) throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "gen/Unrewritable", null, "java/lang/Object", null);
        MethodVisitor huge = cw.visitMethod(Opcodes.ACC_STATIC, "neverCalled", "()V", null, null);
        huge.visitCode();
        for (int i = 0; i < 13_000; i++) {
            huge.visitInsn(Opcodes.ICONST_1);
            huge.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/concurrent/Executors", "newFixedThreadPool",
                    "(I)Ljava/util/concurrent/ExecutorService;", false);
            huge.visitInsn(Opcodes.POP);
        }
        huge.visitInsn(Opcodes.RETURN);
        huge.visitMaxs(0, 0);
        huge.visitEnd();
        MethodVisitor make = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make",
                "()Ljava/util/concurrent/ExecutorService;", null, null);
        make.visitCode();
        make.visitInsn(Opcodes.ICONST_1);
        make.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/concurrent/Executors", "newFixedThreadPool",
                "(I)Ljava/util/concurrent/ExecutorService;", false);
        make.visitInsn(Opcodes.ARETURN);
        make.visitMaxs(0, 0);
        make.visitEnd();
        cw.visitEnd();
        Files.createDirectories(dir.resolve("gen"));
        Files.write(dir.resolve("gen/Unrewritable.class"), cw.toByteArray());

        ChildJvm.Result r = ChildJvm.run("report=true", List.of(), ChildJvm.applicationClassPath(dir),
                "org.example.app.UsesUnrewritable");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.line("theirs ").startsWith("pool-"), r::toString);
        assertTrue(ChildJvm.onJwq(r.line("mine ")), r::toString);
        List<String> warnings = ChildJvm.warnings(r);
        assertEquals(1, warnings.size(), r::toString);
        assertTrue(warnings.get(0).contains("could not rewrite gen.Unrewritable"), warnings.get(0));
        assertTrue(r.err().contains("left alone: 1 (class not rewritable (MethodTooLargeException): 1)"), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode=fast", "hooks=yes", "verbose=true", "include=com..;", "report"})
    void aBadOptionTurnsTheAgentOffWithOneWarningNamingIt(String options) throws Exception {
        ChildJvm.Result r = ChildJvm.run(options, "org.example.app.UsesUnrewritable$Plain");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.line("thread ").startsWith("pool-"), r::toString);
        List<String> warnings = ChildJvm.warnings(r);
        assertEquals(1, warnings.size(), r::toString);
        String named = options.contains("=") ? options.substring(0, options.indexOf('=')) : options;
        assertTrue(warnings.get(0).contains(named) && warnings.get(0).contains("the agent is off"), warnings.get(0));
    }

    /** A bad or misspelt jwq.* property: one warning naming it, and the application keeps its executors. */
    @ParameterizedTest
    @CsvSource({"-Djwq.pin=maybe, jwq.pin=\"maybe\" is not valid", "-Djwq.maxWorker=3, did you mean jwq.maxWorkers"})
    void aBadOrMisspeltPropertyTurnsTheAgentOffWithOneWarningNamingIt(String flag, String said) throws Exception {
        ChildJvm.Result r = ChildJvm.run("", List.of(flag), ChildJvm.applicationClassPath(),
                "org.example.app.UsesUnrewritable$Plain");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.line("thread ").startsWith("pool-"), r::toString);
        assertEquals(1, ChildJvm.warnings(r).size(), r::toString);
        String warning = ChildJvm.warnings(r).get(0);
        assertTrue(warning.startsWith("jwq-agent: WARNING: system property " + flag.substring(2, flag.indexOf('=')))
                && warning.contains(said) && warning.endsWith("the agent is off and the application runs with its own executors"),
                warning);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    /**
     * jwq as a library with a bad property: every call that would start the engine throws an
     * IllegalArgumentException naming it, the first and every later one (not an
     * ExceptionInInitializerError, then NoClassDefFoundError).
     */
    @Test
    void asALibraryABadPropertyFailsEveryCallNamingIt() throws Exception {
        String runtime = Path.of(dev.jwq.Workqueue.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ChildJvm.Result r = ChildJvm.run(null, List.of("-Djwq.pin=maybe"), ChildJvm.applicationClassPath(Path.of(runtime)),
                "org.example.app.UsesJwqDirectly");
        assertEquals(0, r.exit(), r::toString);
        String iae = "java.lang.IllegalArgumentException: jwq: system property jwq.pin=\"maybe\" is not valid: expected true or false";
        assertEquals(List.of(iae, iae), r.lines("fixed "), r::toString);
        assertEquals(List.of(iae, iae), r.lines("system "), r::toString);

        ChildJvm.Result fine = ChildJvm.run(null, List.of(), ChildJvm.applicationClassPath(Path.of(runtime)),
                "org.example.app.UsesJwqDirectly");
        assertEquals(List.of("ok", "ok"), fine.lines("fixed "), "the control: no bad property " + fine);
    }

    /**
     * Executors of a daemon ThreadFactory never keep the JVM alive, under the agent as without it
     * (a periodic task and a task blocked for good, after main returns); a non-daemon executor's
     * accepted delayed task still runs before the JVM exits.
     */
    @Test
    void workOfDaemonFactoriesNeverKeepsTheJvmAlive() throws Exception {
        for (String options : new String[] {"", "mode=off"}) {
            ChildJvm.Result r = ChildJvm.run(options, "org.example.app.DaemonPools");
            assertEquals(0, r.exit(), r::toString);
            assertEquals("main-done\nlate-task-ran\n", r.out(), options + ": " + r);
        }
    }

    /**
     * The jar given twice starts once: the application's executor runs on jwq, and one warning
     * says the second is ignored (it said before that the application ran with its own executors,
     * which was false: the first had rewritten it).
     */
    @Test
    void theAgentGivenTwiceStartsOnce() throws Exception {
        ChildJvm.Result r = ChildJvm.run("", List.of("-javaagent:" + ChildJvm.agentJar()), ChildJvm.applicationClassPath(),
                "org.example.app.UsesUnrewritable$Plain");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(ChildJvm.onJwq(r.line("thread ")), r::toString);
        assertEquals(List.of("jwq-agent: WARNING: given twice (-javaagent); the second is ignored, the first stays on"),
                ChildJvm.warnings(r), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    @Test
    void modeOffLeavesEverythingAlone() throws Exception {
        ChildJvm.Result r = ChildJvm.run("mode=off", "org.example.app.UsesUnrewritable$Plain");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.line("thread ").startsWith("pool-"), r::toString);
        assertEquals("", r.err());
    }
}
