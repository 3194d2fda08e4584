package dev.jwq.tool;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to its end within a bound: its output goes to files, so the test waits on
 * the process with a timeout (a read of its pipe would wait as long as the child does, past any
 * timeout), and a child still running at the bound is killed and reported with what it printed.
 *
 * @param exited whether it exited within the bound (else it was killed)
 * @param status its exit status
 * @param out its standard output
 * @param err its standard error
 */
record BoundedRun(boolean exited, int status, String out, String err) {

    /** Starts {@code pb} with no input and its output in files, and waits at most {@code seconds}. */
    static BoundedRun of(ProcessBuilder pb, long seconds) throws IOException, InterruptedException {
        File out = File.createTempFile("child", ".out");
        File err = File.createTempFile("child", ".err");
        try {
            if (pb.redirectError() == ProcessBuilder.Redirect.PIPE) {
                pb.redirectError(err);
            }
            Process p = pb.redirectOutput(out).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            boolean exited = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!exited) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // bin/jwq starts a JVM of its own
                p.destroyForcibly().waitFor();
            }
            return new BoundedRun(exited, p.exitValue(), read(out), read(err));
        } finally {
            out.delete();
            err.delete();
        }
    }

    private static String read(File f) throws IOException {
        return Files.readString(Path.of(f.getPath()), StandardCharsets.UTF_8);
    }

    /** What to say when it did not end well: the command's end, its status and its output. */
    String describe(Object command) {
        return (exited ? "exited " + status : "still running at its bound, killed") + ": " + command
                + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
