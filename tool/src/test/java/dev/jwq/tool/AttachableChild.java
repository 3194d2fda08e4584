package dev.jwq.tool;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LiveChild} JVM (this JVM's java, this test class path) for the live commands to attach
 * to: started, its PID read from its first line, stopped by closing its stdin.
 */
final class AttachableChild implements AutoCloseable {
    final Process process;
    final String pid;
    private final Path stderr;

    private AttachableChild(Process process, String pid, Path stderr) {
        this.process = process;
        this.pid = pid;
        this.stderr = stderr;
    }

    /** {@code mode}: {@code jwq} or {@code plain} ({@link LiveChild}). Waits until it announced its PID. */
    static AttachableChild start(Path dir, String mode, String... jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LiveChild.class.getName(), mode));
        Path stderr = Files.createTempFile(dir, "child-" + mode, ".err");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        // Blocks until the child is ready; the test class's @Timeout bounds a child that never is.
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("PID ")) {
            p.destroyForcibly();
            fail("child (" + mode + ") did not announce its PID: " + line + "\n" + Files.readString(stderr));
        }
        return new AttachableChild(p, line.substring(4).trim(), stderr);
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** Closes its stdin, which ends it; kills it if it has not ended in 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
