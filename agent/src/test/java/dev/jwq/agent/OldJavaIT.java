package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a JVM older than it supports (Java 21): the application runs unchanged, with its
 * own executors, and one warning says why; {@code java -jar} says the same and exits 2. Before
 * {@link Entry}, JDK 17 aborted in {@code -javaagent} processing ({@code FATAL ERROR in native
 * method}) and the application never started. Needs such a JVM: {@code JWQ_TEST_OLD_JAVA}, a
 * {@code java} on the PATH, or a JDK beside this one (the machine's default java is JDK 17);
 * skipped when there is none.
 */
class OldJavaIT {
    private static Path oldJava;
    private static int oldVersion;

    @BeforeAll
    static void findAnOldJvm() throws Exception {
        Set<Path> candidates = new LinkedHashSet<>();
        String env = System.getenv("JWQ_TEST_OLD_JAVA");
        if (env != null && !env.isEmpty()) {
            candidates.add(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "java"));
            }
        }
        Path jdks = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        if (jdks != null) {
            try (Stream<Path> s = Files.list(jdks)) {
                s.sorted().forEach(d -> candidates.add(d.resolve("bin").resolve("java")));
            }
        }
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                Optional<Integer> v = versionOf(c);
                if (v.isPresent() && v.get() >= 8 && v.get() < Entry.REQUIRED) {
                    oldJava = c;
                    oldVersion = v.get();
                    return;
                }
            }
        }
    }

    private static Optional<Integer> versionOf(Path java) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.exec(List.of(java.toString(), "-XshowSettings:properties", "-version"));
        return r.err().lines().map(String::trim).filter(l -> l.startsWith("java.specification.version = "))
                .map(l -> Entry.featureVersion(l.substring(l.indexOf('=') + 1).trim())).findFirst();
    }

    private static void assumeAnOldJvm() {
        Assumptions.assumeTrue(oldJava != null, "no JVM older than Java " + Entry.REQUIRED + " found (set JWQ_TEST_OLD_JAVA)");
    }

    /** An application compiled for Java 8 that prints the thread its pool's task ran on. */
    private static Path application(Path dir) throws IOException {
        Path src = dir.resolve("src/app/OldApp.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package app;
                import java.util.concurrent.*;
                public class OldApp {
                    public static void main(String[] args) throws Exception {
                        ExecutorService e = Executors.newFixedThreadPool(1);
                        System.out.println("task ran on " + e.submit(() -> Thread.currentThread().getName()).get());
                        e.shutdown();
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "8", "-Xlint:-options", "-d",
                classes.toString(), src.toString());
        assertEquals(0, rc, "javac --release 8");
        return classes;
    }

    @Test
    void theApplicationRunsWithItsOwnExecutorsAndOneWarningSaysWhy(@TempDir Path dir) throws Exception {
        assumeAnOldJvm();
        Path classes = application(dir);
        ChildJvm.Result r = ChildJvm.exec(List.of(oldJava.toString(), "-javaagent:" + ChildJvm.agentJar(), "-cp",
                classes.toString(), "app.OldApp"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("task ran on pool-1-thread-1\n", r.out(), r::toString);
        assertEquals("jwq-agent: WARNING: jwq needs Java " + Entry.REQUIRED + " or later, and this JVM is Java " + oldVersion
                + "; the agent is off and the application runs with its own executors\n", r.err(), r::toString);
    }

    @Test
    void theCommandLineSaysWhichJavaItNeeds() throws Exception {
        assumeAnOldJvm();
        ChildJvm.Result r = ChildJvm.exec(List.of(oldJava.toString(), "-jar", ChildJvm.agentJar().toString(), "--version"));
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("jwq: needs Java " + Entry.REQUIRED + " or later, and this JVM is Java " + oldVersion + "\n", r.err(),
                r::toString);
    }

    /** On this JVM the same entry point hands over: the command line answers. */
    @Test
    void onANewEnoughJvmTheCommandLineRuns() throws Exception {
        ChildJvm.Result r = ChildJvm.exec(List.of(ChildJvm.java(), "-jar", ChildJvm.agentJar().toString(), "--version"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("jwq "), r::toString);
    }
}
