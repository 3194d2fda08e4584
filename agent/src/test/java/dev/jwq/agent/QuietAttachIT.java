package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaching the agent prints nothing the application did not print, on this JDK (the machine
 * has JDK 25; JDK 21 is not installed here), and grants the runtime only what it needs.
 */
class QuietAttachIT {
    /** Standard error, whole: nothing from the JVM (CDS), the JDK (native access) or the agent. */
    private static void assertQuiet(ChildJvm.Result r) {
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void aProgramWithoutExecutorsHearsNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.run("", "org.example.app.QuietHello");
        assertQuiet(r);
        assertEquals("hello\n", r.out());
    }

    /** The runtime starts, binds its FFM calls (pinning, sched_getcpu): no warning from the JDK either. */
    @Test
    void aProgramWhoseExecutorRunsOnJwqHearsNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.run("", "org.example.app.QuietApp", "executor");
        assertQuiet(r);
        assertTrue(ChildJvm.onJwq(r.line("thread ")), r::toString);
    }

    /**
     * The native access enabled for the runtime's setup is taken back: the application's own
     * restricted call gets the JDK's warning, as it would without the agent.
     */
    @Test
    void theApplicationKeepsTheJvmsNativeAccessSettings() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "FFM is final from JDK 22");
        ChildJvm.Result r = ChildJvm.run("", "org.example.app.QuietApp", "restricted");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(ChildJvm.onJwq(r.line("thread ")), r::toString);
        assertEquals("", r.line("app bound getpid"));
        List<String> warnings = r.err().lines().filter(l -> l.startsWith("WARNING:")).toList();
        assertEquals(4, warnings.size(), r::toString);
        assertTrue(warnings.get(1).contains("called by org.example.app.QuietApp"), r::toString);
        assertTrue(r.err().lines().noneMatch(l -> l.contains("dev.jwq")), r::toString);
    }

    /**
     * java.lang is opened to the runtime's module (the bootstrap loader's unnamed module) and to
     * no other: a class placed there may open the JDK's VirtualThreadBuilder(Executor)
     * constructor, the application's classes may not.
     */
    @Test
    void javaLangIsOpenedToTheRuntimesModuleOnly(@TempDir Path dir) throws Exception {
        Path probe = Path.of(org.example.boot.OpenProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/example/boot/OpenProbe.class");
        Path copy = dir.resolve("org/example/boot/OpenProbe.class");
        Files.createDirectories(copy.getParent());
        Files.copy(probe, copy, StandardCopyOption.REPLACE_EXISTING);

        ChildJvm.Result r = ChildJvm.run("", List.of("-Xbootclasspath/a:" + dir), ChildJvm.applicationClassPath(),
                "org.example.app.QuietApp", "opens");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("accessible", r.line("runtime-module "), r::toString);
        assertEquals("refused (InaccessibleObjectException)", r.line("application "), r::toString);

        ChildJvm.Result control = ChildJvm.run(null, List.of("-Xbootclasspath/a:" + dir), ChildJvm.applicationClassPath(),
                "org.example.app.QuietApp", "opens");
        assertEquals("refused (InaccessibleObjectException)", control.line("runtime-module "), "without the agent: " + control);
    }

    /**
     * Class data sharing stays on for the application's classes: an archive of them, made with
     * the agent attached, is used by the next run with the agent (HotSpot stops sharing them when
     * an agent appends to the bootstrap class path in premain, as the renamed jar shows). The
     * program makes no executor: HotSpot's dump with an agent (a testing option) crashes on the
     * JDK classes the hooks redefine. (A class the agent rewrites is never shared, as HotSpot
     * never shares a class a ClassFileLoadHook changed.)
     */
    @Test
    void classDataSharingKeepsTheApplicationsClasses(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("app.jsa");
        List<String> dump = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+AllowArchivingWithJavaAgent",
                "-XX:ArchiveClassesAtExit=" + archive);
        Path appJar = appJar(dir);
        ChildJvm.Result made = ChildJvm.run("", dump, appJar.toString(), "org.example.app.QuietHello");
        assertEquals(0, made.exit(), made::toString);
        assumeTrue(Files.isRegularFile(archive), "this JVM made no archive: " + made);

        List<String> use = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+AllowArchivingWithJavaAgent",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + dir.resolve("load.log"));
        ChildJvm.Result r = ChildJvm.run("", use, appJar.toString(), "org.example.app.QuietHello");
        assertEquals(0, r.exit(), r::toString);
        String log = Files.readString(dir.resolve("load.log"));
        assertTrue(log.contains("org.example.app.QuietHello source: shared objects file"), log);
        assertTrue(r.err().lines().noneMatch(l -> l.contains("Sharing is only supported")), r::toString);

        Path renamed = Files.copy(ChildJvm.agentJar(), dir.resolve("renamed-agent.jar"));
        ChildJvm.Result late = ChildJvm.runWithAgentJar(renamed, "", use, appJar.toString(), "org.example.app.QuietHello");
        assertEquals(0, late.exit(), late::toString);
        assertTrue(late.out().contains("Sharing is only supported for boot loader classes") || late.err().contains(
                "Sharing is only supported for boot loader classes"), late::toString);
        List<String> notes = late.err().lines().filter(l -> l.startsWith("jwq-agent: ")).toList();
        assertEquals(1, notes.size(), late::toString);
        assertTrue(notes.get(0).contains("renamed-agent.jar") && notes.get(0).contains("Rename it jwq-agent.jar"), notes.get(0));
    }

    /** A jar of the test app alone: AppCDS archives only classes from jars. */
    private static Path appJar(Path dir) throws Exception {
        Path classes = Path.of(QuietAttachIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            String name = "org/example/app/QuietHello.class";
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            out.write(Files.readAllBytes(classes.resolve(name)));
            out.closeEntry();
        }
        return jar;
    }
}
