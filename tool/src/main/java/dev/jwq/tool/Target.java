package dev.jwq.tool;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A running JVM with a jwq runtime, reached as {@code jconsole} reaches it: the Attach API starts
 * the target's local JMX agent ({@link LocalJmxAgent}; the agent stays up for later tools) and
 * the JMX connector talks to its platform MBean server, where the runtime exports
 * {@code dev.jwq:type=Runtime}, {@code type=Workqueue} and {@code type=WorkerPool} (within about a
 * second of the agent's start: {@link #awaitRuntime}).
 *
 * <p>Every way this can fail ends in a {@link ToolException} with one line saying why.
 */
final class Target implements AutoCloseable {
    static final ObjectName RUNTIME = name("dev.jwq:type=Runtime");
    static final ObjectName WORKQUEUES = name("dev.jwq:type=Workqueue,*");
    static final ObjectName POOLS = name("dev.jwq:type=WorkerPool,*");
    private static final ObjectName JVM_RUNTIME = name(ManagementFactory.RUNTIME_MXBEAN_NAME);
    /** How long to wait for the runtime's MBeans after attaching (they follow the server within about a second). */
    static final long RUNTIME_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RUNTIME_POLL_MS = 50;

    final long pid;
    final MBeanServerConnection mbeans;
    private final JMXConnector connector;

    private Target(long pid, JMXConnector connector, MBeanServerConnection mbeans) {
        this.pid = pid;
        this.connector = connector;
        this.mbeans = mbeans;
    }

    /** {@code command}: the subcommand, for messages about a bad PID argument. */
    static Target attach(String command, String pidArg) throws ToolException {
        long pid = parsePid(command, pidArg);
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new ToolException(Main.EXIT_FAILURE, "no such process: PID " + pid));
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            // Checked before LocalJmxAgent is linked, which would fail on the missing classes.
            throw new ToolException(Main.EXIT_FAILURE, "this Java runtime has no jdk.attach module (a JRE?); run jwq"
                    + " with a full JDK's java");
        }
        String address = LocalJmxAgent.start(process);
        JMXConnector connector;
        MBeanServerConnection mbeans;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            mbeans = connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE,
                    "cannot connect to the JMX agent of PID " + pid + " at " + address + ": " + why(e), e);
        }
        Target t = new Target(pid, connector, mbeans);
        try {
            t.awaitRuntime();
        } catch (IOException e) {
            t.close();
            throw t.lost(e);
        } catch (ToolException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * Waits for {@code dev.jwq:type=Runtime}. By default ({@code jwq.jmx=auto}) a runtime exports
     * its MBeans only once the platform MBean server exists, which starting the local agent has
     * just done: it notices within a second, so a first attach waits that long. A process run
     * with {@code -Djwq.jmx=off} is named at once.
     */
    private void awaitRuntime() throws IOException, ToolException {
        long giveUp = System.nanoTime() + RUNTIME_WAIT_NANOS;
        if (mbeans.isRegistered(RUNTIME)) {
            return;
        }
        String jmx = systemProperty("jwq.jmx");
        if (jmx != null && jmx.trim().equalsIgnoreCase("off")) {
            throw new ToolException(Main.EXIT_FAILURE, "PID " + pid + " runs with -Djwq.jmx=off: its jwq runtime"
                    + " exports no MBeans");
        }
        while (!mbeans.isRegistered(RUNTIME)) {
            if (System.nanoTime() - giveUp > 0) {
                throw new ToolException(Main.EXIT_FAILURE, "PID " + pid + " has no jwq runtime (no " + RUNTIME
                        + " MBean after " + TimeUnit.NANOSECONDS.toSeconds(RUNTIME_WAIT_NANOS)
                        + " s; has it created a workqueue?)");
            }
            try {
                Thread.sleep(RUNTIME_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(Main.EXIT_FAILURE, "interrupted while waiting for PID " + pid + "'s jwq MBeans");
            }
        }
    }

    /** One system property of the target, or null (read from its runtime MXBean). */
    private String systemProperty(String key) throws IOException {
        try {
            Object props = mbeans.getAttribute(JVM_RUNTIME, "SystemProperties");
            if (props instanceof TabularData table) {
                CompositeData row = table.get(new Object[] {key});
                return row == null ? null : (String) row.get("value");
            }
        } catch (JMException | RuntimeException e) {
            // not a JVM's usual platform MBeans: wait as for any other runtime
        }
        return null;
    }

    static long parsePid(String command, String arg) throws ToolException {
        try {
            long pid = Long.parseLong(arg);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ToolException(Main.EXIT_USAGE, command + ": PID must be a positive number, not '" + arg + "'");
    }

    /** The target went away (or its agent did) while we were talking to it. */
    ToolException lost(IOException e) {
        return new ToolException(Main.EXIT_FAILURE, "lost the connection to PID " + pid + " (has it exited?): "
                + why(e), e);
    }

    /**
     * What went wrong, on one line: the innermost cause's message (RMI wraps the socket's
     * "Connection refused" in a "nested exception is:" message over several lines).
     */
    static String why(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the target is gone already: nothing to release
        }
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
