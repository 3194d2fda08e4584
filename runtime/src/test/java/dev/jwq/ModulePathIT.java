package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar as the named module {@code dev.jwq}, on the module path of a fresh JVM with an
 * application module ({@code src/test/module-app}, compiled here against the jar) that creates
 * workqueues through the public API, reads jwq's MXBeans through the platform MBean server and
 * records jwq's events. Once without flags, once with the two flags that name the module; the
 * tests judge what the application prints. Runs after {@code package}: the jar is what is tested
 * (its descriptor as the jar plugin rewrote it, its release-22 classes under
 * META-INF/versions/22).
 */
class ModulePathIT {
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("jwq.runtime.jar"));
    private static final Path APP_SOURCES = Path.of(System.getProperty("jwq.moduleApp"));
    private static final String MODULE = "dev.jwq";
    /** What the application module may use: the exported packages only. */
    private static final Map<String, String> ACCESS = Map.of(
            "dev.jwq.Workqueue", "ok",
            "dev.jwq.spi.SettingsCheck", "ok",
            "dev.jwq.jmx.JwqRuntimeMXBean", "ok",
            "dev.jwq.cpu.CpuLists", "refused",
            "dev.jwq.timer.Timer", "refused",
            "dev.jwq.jfr.EventNames", "refused");

    @TempDir
    static Path tmp;
    private static String modulePath;

    @BeforeAll
    static void compileTheApplication() throws Exception {
        Path caffeine = Path.of(Caffeine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String libraries = RUNTIME_JAR + File.pathSeparator + caffeine;
        Path out = tmp.resolve("app");
        String errors = compile(APP_SOURCES, libraries, out);
        assertEquals("", errors, "the application module does not compile against the runtime module");
        modulePath = libraries + File.pathSeparator + out;
    }

    @Test
    void theDescriptorRequiresWhatTheBytecodeUses() {
        // jdeps reads every class of the jar (the release-22 ones too) and suggests a descriptor.
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "--multi-release", String.valueOf(Runtime.version().feature()), "--module-path", modulePath, "--check", MODULE);
        assertEquals(0, rc, out.toString());
        String report = out.toString().replaceAll(" \\(@[^)]*\\)", ""); // versions recorded at compile time
        assertEquals(section(report, "[Suggested module descriptor for " + MODULE + "]"),
                section(report, "[Module descriptor]"), report);
    }

    @Test
    void applicationCodeCannotCompileAgainstAnInternalPackage() throws Exception {
        Path src = tmp.resolve("peek-src");
        Files.createDirectories(src.resolve("jwq/app"));
        Files.copy(APP_SOURCES.resolve("module-info.java"), src.resolve("module-info.java"));
        Files.writeString(src.resolve("jwq/app/Peek.java"), """
                package jwq.app;

                class Peek {
                    String none = dev.jwq.cpu.CpuLists.format(new java.util.BitSet());
                }
                """);
        String libraries = modulePath.substring(0, modulePath.lastIndexOf(File.pathSeparator));
        String errors = compile(src, libraries, tmp.resolve("peek"));
        assertTrue(errors.contains("package dev.jwq.cpu is declared in module dev.jwq, which does not export it"), errors);
    }

    @Test
    void withoutFlagsItRunsPlatformWorkersAndItsAdviceNamesTheModule() throws Exception {
        ChildJvm.Result r = app();
        String out = usable(r);
        assertTrue(out.lines().filter(l -> l.startsWith("item ")).allMatch(l -> l.contains(" false ")), out);
        // java.lang is not open: the fallback, and its reason names the flag with the module's name.
        assertTrue(value(out, "mxbean-workers").startsWith("platform ("), out);
        assertTrue(out.contains("jwq: workers are platform threads"), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=" + MODULE), out);
        // JDK 22-25's own warning: the release-22 class bound its native calls, in the module.
        assertTrue(out.contains("--enable-native-access=" + MODULE), out);
        assertTrue(value(out, "function").startsWith("jwq.app.Main$$Lambda"), out);
    }

    @Test
    void withTheModuleNameInTheFlagsItRunsVirtualWorkersOnPinnedCarriers() throws Exception {
        ChildJvm.Result r = app("--enable-native-access=" + MODULE, "--add-opens", "java.base/java.lang=" + MODULE);
        String out = usable(r);
        assertEquals("virtual (carriers)", value(out, "mxbean-workers"), out);
        assertTrue(out.lines().filter(l -> l.startsWith("item ")).allMatch(l -> l.contains(" true ")), out);
        assertFalse(out.contains("jwq: workers are"), out);
        assertFalse(out.contains("restricted method"), out);
        // The same opening lets jwq read which method a lambda calls.
        assertEquals("jwq.app.Main::lambda$main$0", value(out, "function"), out);
    }

    /** Runs the application on the module path with {@code flags}. */
    private static ChildJvm.Result app(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx256m"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("--module-path", modulePath, "--module", "jwq.app/jwq.app.Main"));
        return ChildJvm.exec(cmd);
    }

    /**
     * What holds whatever the flags: jwq ran as module dev.jwq, its release-22 class too; the
     * application could use the exported packages only; every item ran, a per-CPU item on one
     * CPU (pinned); the MXBeans answered; the recording has the items' events. Returns the output.
     */
    private static String usable(ChildJvm.Result r) {
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.lines().anyMatch("done"::equals), out);
        assertEquals(MODULE, value(out, "module"), out);
        assertEquals(MODULE, value(out, "linuxcpu"), out);
        ACCESS.forEach((type, expected) -> assertEquals(expected, value(out, "access " + type), out));
        List<String> items = out.lines().filter(l -> l.startsWith("item ")).toList();
        assertEquals(16, items.size(), out);
        if (new File("/proc/thread-self/status").exists()) {
            items.stream().filter(l -> l.startsWith("item app-percpu ")).forEach(l ->
                    assertTrue(l.matches("item app-percpu \\w+ \\d+"), "not pinned to one CPU: " + l + "\n" + out));
        }
        assertFalse(out.contains("jwq: workers are not pinned"), out);
        assertEquals("[PERCPU]", value(out, "mxbean-flags"), out);
        assertEquals("16", value(out, "event dev.jwq.WorkExecution"), out);
        assertEquals("16", value(out, "event dev.jwq.WorkQueued"), out);
        return out;
    }

    /** The rest of the line that starts with {@code key} and a space; fails when there is none. */
    private static String value(String out, String key) {
        String line = out.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElse(null);
        assertNotNull(line, "no line " + key + " in:\n" + out);
        return line.substring(key.length() + 1);
    }

    /** The indented lines under {@code title} in a jdeps report. */
    private static List<String> section(String report, String title) {
        List<String> lines = report.lines().toList();
        int start = lines.indexOf(lines.stream().filter(l -> l.trim().equals(title)).findFirst().orElseThrow());
        List<String> body = new ArrayList<>();
        for (String l : lines.subList(start + 1, lines.size())) {
            if (l.trim().startsWith("[") || l.isBlank()) {
                break;
            }
            body.add(l.trim());
        }
        return body;
    }

    /** Compiles the module under {@code sources} against {@code modulePath}; javac's errors, or "". */
    private static String compile(Path sources, String modulePath, Path out) throws Exception {
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        List<Path> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of()); // not this JVM's: jwq is on it
            boolean ok = javac.getTask(errors, fm, null,
                    List.of("--release", "21", "--module-path", modulePath, "-d", out.toString()),
                    null, fm.getJavaFileObjectsFromPaths(files)).call();
            return ok ? "" : errors.toString();
        }
    }
}
