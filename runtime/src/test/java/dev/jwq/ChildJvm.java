package dev.jwq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario's {@code main} in a fresh JVM with its own {@code jwq.*} settings, which are
 * read once per process. The child uses this JVM and this test class path; it exits 0 when the
 * scenario's guarantee held.
 */
final class ChildJvm {
    /** How long a child may run before it is killed and the test fails. */
    static final long TIMEOUT_S = 60;

    record Result(int exitCode, String output) {}

    private ChildJvm() {}

    static Result run(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        return run(List.of(), main, jvmArgs);
    }

    /** {@code prefix}: a command put in front of java, e.g. {@code taskset -c 0}. */
    static Result run(List<String> prefix, Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.add("-ea");
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        return exec(cmd);
    }

    /** The path of this JVM's {@code java}: the children run on the JDK the tests run on. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code cmd} (a whole command line) with the same bounded wait, output merged. */
    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read while it runs, so a chatty child never blocks on a full pipe.
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("<cannot read child output: " + e + ">").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // a prefix (taskset) starts the JVM as its child
            p.destroyForcibly().waitFor();
            reader.join(5_000);
            return new Result(-1, "<killed after " + TIMEOUT_S + " s>\n" + text(out[0]));
        }
        reader.join(10_000);
        return new Result(p.exitValue(), text(out[0]));
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }
}
