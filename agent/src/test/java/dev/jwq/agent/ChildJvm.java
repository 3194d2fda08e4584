package dev.jwq.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a child JVM (the JVM running the tests) with {@code -javaagent:target/jwq-agent.jar}, the
 * way an application is started, and collects what it printed.
 */
final class ChildJvm {
    /** Generous: the machine is shared; a hang fails the test instead of stalling the build. */
    private static final long TIMEOUT_SECONDS = 90;

    record Result(int exit, String out, String err) {
        List<String> lines(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).toList();
        }

        String line(String prefix) {
            List<String> l = lines(prefix);
            assertTrue(l.size() == 1, "expected one line '" + prefix + "' in\n" + this);
            return l.get(0);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private ChildJvm() {}

    static Path agentJar() {
        String jar = System.getProperty("jwq.agent.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "jwq.agent.jar is not set to the built agent (run through mvn verify): " + jar);
        return Path.of(jar);
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /**
     * The test JVM's class path without jwq's own classes (the runtime and the agent module's),
     * which an application would not have: under the agent they come from the bootstrap jar.
     */
    static String applicationClassPath(Path... extra) {
        List<String> out = new ArrayList<>();
        for (Path p : extra) {
            out.add(p.toString());
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = e.replace('\\', '/');
            if (n.contains("/runtime/target/") || n.contains("/tool/target/") || n.contains("jwq-runtime")
                    || n.contains("jwq-tool") || n.endsWith("/agent/target/classes")) {
                continue;
            }
            out.add(e);
        }
        return String.join(File.pathSeparator, out);
    }

    /** Runs {@code main} with the agent (options may be null: none) and the JVM flags given. */
    static Result run(String agentOptions, List<String> jvmFlags, String classPath, String main, String... args)
            throws IOException, InterruptedException {
        return runWithAgentJar(agentOptions == null ? null : agentJar(), agentOptions, jvmFlags, classPath, main, args);
    }

    /** {@link #run(String, List, String, String, String...)} with the agent jar at {@code jar} (null: no agent). */
    static Result runWithAgentJar(Path jar, String agentOptions, List<String> jvmFlags, String classPath, String main,
                                  String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        if (jar != null) {
            cmd.add("-javaagent:" + jar + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main);
        cmd.addAll(Arrays.asList(args));
        return exec(cmd);
    }

    /** Runs {@code cmd} (any JVM, any arguments) to its end or the timeout; collects what it printed. */
    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jwq-child", ".out");
        Path err = Files.createTempFile("jwq-child", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not finish in " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", cmd) + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(String agentOptions, String main, String... args) throws IOException, InterruptedException {
        return run(agentOptions, List.of(), applicationClassPath(), main, args);
    }

    /**
     * Whether a task that saw this thread name ran on a jwq worker: {@code jwq/u4:1}, or with the
     * rewritten executor's name before it while its task runs, {@code okhttp-worker@jwq/u4:1}.
     */
    static boolean onJwq(String threadName) {
        return threadName.matches("(.+@)?jwq/.*");
    }

    /** The stderr lines that are the agent's warnings. */
    static List<String> warnings(Result r) {
        return r.err().lines().filter(l -> l.startsWith("jwq-agent: WARNING")).collect(Collectors.toList());
    }
}
