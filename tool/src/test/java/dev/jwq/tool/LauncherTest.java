package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jwq} run as a user runs it, where the {@code java} on the PATH and JAVA_HOME are too
 * old for jwq (the first-hour complaint: Java 17 by default gives UnsupportedClassVersionError):
 * it must find a JDK 21+ in the usual places by itself. The jar it runs ({@code JWQ_JAR}) is built
 * here: a manifest whose Class-Path is this test's class path, the command line's Main-Class.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of(System.getProperty("jwq.repository"), "bin", "jwq");

    @TempDir
    static Path dir;
    static Path jar;
    static Path oldJdk;

    @BeforeAll
    static void setUp() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        Assumptions.assumeTrue(home.startsWith("/usr/lib/jvm"),
                "the launcher looks for JDKs in the usual places; this JDK is elsewhere: " + home);
        jar = dir.resolve("jwq-cli.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.append(Path.of(entry).toUri()).append(' ');
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            // the manifest is the whole jar
        }
        // A JDK 17, as `java` on a fresh Debian: what it runs fails as Java 17 fails on jwq's classes.
        oldJdk = dir.resolve("jdk-17");
        Files.createDirectories(oldJdk.resolve("bin"));
        Files.writeString(oldJdk.resolve("release"), "JAVA_VERSION=\"17.0.13\"\n");
        for (String tool : List.of("java", "jcmd")) {
            Path p = Files.writeString(oldJdk.resolve("bin").resolve(tool),
                    "#!/bin/sh\necho 'UnsupportedClassVersionError: class file version 65.0' >&2\nexit 1\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void findsAJdk21OrNewerPastAnOldJavaHomeAndAnOldJavaOnThePath() throws Exception {
        String expected = "jwq " + System.getProperty("jwq.expectedVersion") + "\n";
        Result r = run(Map.of("JAVA_HOME", oldJdk.toString(), "PATH", oldJdk.resolve("bin") + ":/usr/bin:/bin"),
                "--version");
        assertEquals(new Result(0, expected, ""), r);
        r = run(Map.of("PATH", oldJdk.resolve("bin") + ":/usr/bin:/bin"), "--version");
        assertEquals(new Result(0, expected, ""), r);
    }

    @Test
    void argumentsAndExitStatusPassThrough() throws Exception {
        Result help = run(Map.of(), "stat", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("usage: jwq stat [-j] REC.jfr"), help.out());
        Result bad = run(Map.of(), "stat", dir.resolve("none.jfr").toString());
        assertEquals(Main.EXIT_FAILURE, bad.status());
        assertEquals("jwq: no such file: " + dir.resolve("none.jfr") + "\n", bad.err());
    }

    @Test
    void aMissingJarSaysHowToBuildIt() throws Exception {
        Result r = run(Map.of("JWQ_JAR", dir.resolve("missing.jar").toString()), "--version");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("jwq: " + dir.resolve("missing.jar") + " is missing; build it in "), r.err());
        assertTrue(r.err().contains("mvn -q -DskipTests package -pl agent -am"), r.err());
    }

    record Result(int status, String out, String err) {
    }

    /** bin/jwq with this environment (JAVA_HOME unset unless given; JWQ_JAR the test's jar unless given). */
    private static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("JWQ_JAR", jar.toString());
        pb.environment().putAll(env);
        BoundedRun r = BoundedRun.of(pb, 60);
        assertTrue(r.exited(), () -> r.describe("bin/jwq"));
        return new Result(r.status(), r.out(), r.err());
    }
}
