package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java as a reader would use it: the complete program of "Use jwq in your project"
 * run with the README's own {@code java} command (its class path pointed at this build instead
 * of the local Maven repository, whose paths are checked against the project's coordinates) and
 * compared with the output the README shows; the "Usage" fragments compiled inside a method of a
 * class that declares the helpers they call ({@code runQueue}, {@code append}, {@code fetch} and
 * their {@code line} and {@code url}), and run.
 */
class ReadmeSnippetsTest {
    static final Path README = Path.of(System.getProperty("jwq.repository"), "README.md");

    @TempDir
    static Path dir;
    static String readme;

    @BeforeAll
    static void read() throws Exception {
        readme = Files.readString(README, StandardCharsets.UTF_8);
    }

    @Test
    void helloProgramRunsWithTheReadmesCommandAndPrintsWhatItSays() throws Exception {
        String program = block("java", "public class Hello");
        Path source = Files.writeString(dir.resolve("Hello.java"), program);
        List<String> command = words(block("", "Hello.java"));
        assertEquals("java", command.get(0));
        int cp = command.indexOf("-cp");
        String version = System.getProperty("jwq.expectedVersion");
        String home = System.getProperty("user.home");
        assertEquals(home + "/.m2/repository/dev/jwq/jwq-runtime/" + version + "/jwq-runtime-" + version + ".jar:"
                + home + "/.m2/repository/com/github/ben-manes/caffeine/caffeine/" + caffeineVersion()
                + "/caffeine-" + caffeineVersion() + ".jar", command.get(cp + 1), "the jars mvn install leaves");
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(cp + 1, System.getProperty("java.class.path")); // this build's runtime and Caffeine
        command.set(command.size() - 1, source.toString());
        String expected = readme.substring(readme.indexOf("It prints:"));
        assertEquals(block(expected, "", ""), run(command));
        String dependency = block("xml", "<artifactId>jwq-runtime</artifactId>");
        assertTrue(dependency.contains("<groupId>dev.jwq</groupId>") && dependency.contains(
                "<version>" + version + "</version>"), dependency);
    }

    @Test
    void usageFragmentsCompileAndRun() throws Exception {
        String fragment = block("java", "Workqueue.builder(\"kblockd\")");
        String source = """
                import dev.jwq.*;
                import java.time.Duration;
                import java.util.concurrent.ExecutorService;

                public class Usage {
                    static final String line = "a log line";
                    static final String url = "http://localhost/";

                    static void runQueue() {
                    }

                    static void append(String line) {
                    }

                    static String fetch(String url) {
                        return "the body of " + url;
                    }

                    public static void main(String[] args) throws Exception {
                """ + fragment.indent(8) + """
                        System.out.println("done");
                    }
                }
                """;
        Path src = Files.writeString(dir.resolve("Usage.java"), source);
        Path classes = Files.createDirectories(dir.resolve("usage-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "21", "-proc:none", "-cp",
                System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        assertEquals(0, status, "the Usage fragments do not compile:\n" + source);
        assertEquals("done\n", run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), "Usage")));
    }

    /** The first fenced block of {@code language} in the README whose text contains {@code marker}. */
    private static String block(String language, String marker) {
        return block(readme, language, marker);
    }

    private static String block(String text, String language, String marker) {
        String open = null; // the info string of the block being read, null between blocks
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (open == null && line.startsWith("```")) {
                open = line.substring(3).trim();
                body.setLength(0);
            } else if (open != null && line.equals("```")) {
                if (open.equals(language) && body.toString().contains(marker)) {
                    return body.toString();
                }
                open = null;
            } else if (open != null) {
                body.append(line).append('\n');
            }
        }
        throw new AssertionError("no ```" + language + " block with " + marker + " in the README");
    }

    /** A shell command's words: lines joined at trailing backslashes, double quotes removed, $HOME expanded. */
    private static List<String> words(String command) {
        String joined = command.replace("\\\n", " ").replace("$HOME", System.getProperty("user.home")).trim();
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(joined);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    /** Caffeine's version, from its jar on this test's class path. */
    private static String caffeineVersion() {
        Matcher m = Pattern.compile("caffeine-([0-9.]+)\\.jar").matcher(System.getProperty("java.class.path"));
        assertTrue(m.find(), "no Caffeine jar on the class path");
        return m.group(1);
    }

    /** Runs {@code command}; it must exit 0 within a minute; returns its standard output. */
    private static String run(List<String> command) throws Exception {
        BoundedRun r = BoundedRun.of(new ProcessBuilder(command).directory(dir.toFile()), 60);
        assertTrue(r.exited() && r.status() == 0, () -> r.describe(command));
        return r.out();
    }
}
