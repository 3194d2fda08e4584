package dev.jwq.tool;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A running JVM with a jwq runtime, reached as {@code jconsole} reaches it: the Attach API starts
 * the target's local JMX agent ({@code startLocalManagementAgent}, which stays up for later
 * tools) and the JMX connector talks to its platform MBean server, where the runtime exports
 * {@code dev.jwq:type=Runtime}, {@code type=Workqueue} and {@code type=WorkerPool}.
 *
 * <p>Every way this can fail ends in a {@link ToolException} with one line saying why.
 */
final class Target implements AutoCloseable {
    static final ObjectName RUNTIME = name("dev.jwq:type=Runtime");
    static final ObjectName WORKQUEUES = name("dev.jwq:type=Workqueue,*");
    static final ObjectName POOLS = name("dev.jwq:type=WorkerPool,*");

    /** SIGQUIT's bit in /proc/PID/status's signal masks (bit n-1 for signal n). */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

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
        String address = managementAgent(process);
        JMXConnector connector;
        MBeanServerConnection mbeans;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            mbeans = connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE,
                    "cannot connect to the JMX agent of PID " + pid + " at " + address + ": " + e.getMessage(), e);
        }
        Target t = new Target(pid, connector, mbeans);
        try {
            if (!mbeans.isRegistered(RUNTIME)) {
                throw new ToolException(Main.EXIT_FAILURE, "PID " + pid + " has no jwq runtime (no " + RUNTIME
                        + " MBean; has it created a workqueue?)");
            }
        } catch (IOException e) {
            t.close();
            throw t.lost(e);
        } catch (ToolException e) {
            t.close();
            throw e;
        }
        return t;
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

    /** Attaches, starts (or finds) the local JMX agent and detaches; returns the agent's address. */
    private static String managementAgent(ProcessHandle process) throws ToolException {
        long pid = process.pid();
        if (pid == ProcessHandle.current().pid()) {
            throw new ToolException(Main.EXIT_FAILURE, "PID " + pid + " is this jwq command itself");
        }
        try {
            if (!looksLikeJvm(process)) {
                throw new ToolException(Main.EXIT_FAILURE, "PID " + pid + describe(process)
                        + " is not a JVM (it has no attach listener and does not handle SIGQUIT)");
            }
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                return vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("does not support the attach mechanism")) {
                why = "it runs with -XX:+DisableAttachMechanism";
            }
            throw cannotAttach(process, why, e);
        } catch (IOException | SecurityException e) {
            throw cannotAttach(process, String.valueOf(e.getMessage()), e);
        } catch (LinkageError e) {
            throw new ToolException(Main.EXIT_FAILURE, "this Java runtime has no jdk.attach module (" + e
                    + "); run jwq with a full JDK", e);
        }
    }

    private static ToolException cannotAttach(ProcessHandle process, String why, Exception cause) {
        String me = ProcessHandle.current().info().user().orElse("?");
        String owner = process.info().user().orElse(null);
        if (owner == null) {
            // The JDK shows another user's process without its details.
            why += "; is it another user's process? attach as the user that runs it";
        } else if (!owner.equals(me)) {
            why += "; it belongs to " + owner + " and jwq runs as " + me + ": run jwq as " + owner;
        }
        return new ToolException(Main.EXIT_FAILURE, "cannot attach to PID " + process.pid() + describe(process) + ": "
                + why, cause);
    }

    /**
     * Whether attaching makes sense. The Attach API on JDK 23 and older signals SIGQUIT to any
     * process it is pointed at, which kills one that is not a JVM; JDK 24+ first waits seconds
     * for the process to catch SIGQUIT. A JVM either announces itself in the jvmstat directory
     * ({@link VirtualMachine#list()}) or catches SIGQUIT (a JVM run with -XX:-UsePerfData);
     * elsewhere than Linux the JDK's own checks decide.
     */
    private static boolean looksLikeJvm(ProcessHandle process) {
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(Long.toString(process.pid()))) {
                return true;
            }
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigCgt:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGQUIT_BIT) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: let the Attach API judge
        }
        return true;
    }

    private static String describe(ProcessHandle process) {
        Optional<String> command = process.info().command();
        return command.map(c -> " (" + Path.of(c).getFileName() + ")").orElse("");
    }

    /** The target went away (or its agent did) while we were talking to it. */
    ToolException lost(IOException e) {
        return new ToolException(Main.EXIT_FAILURE, "lost the connection to PID " + pid + " (has it exited?): "
                + e.getMessage(), e);
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
