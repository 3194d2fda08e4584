package dev.jwq.tool;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Attach API half of {@link Target}: makes sure a PID is a JVM, attaches, and starts (or
 * finds) its local JMX agent. Alone in this class so that a Java runtime without
 * {@code jdk.attach} fails with a message rather than a linkage error.
 */
final class LocalJmxAgent {
    /** SIGQUIT's bit in /proc/PID/status's signal masks (bit n-1 for signal n). */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    private LocalJmxAgent() {
    }

    /** Attaches, starts (or finds) the local JMX agent and detaches; returns the agent's address. */
    static String start(ProcessHandle process) throws ToolException {
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
            String why = Target.why(e);
            if (why.contains("does not support the attach mechanism")) {
                why = "it runs with -XX:+DisableAttachMechanism";
            }
            throw cannotAttach(process, why, e);
        } catch (IOException | SecurityException e) {
            throw cannotAttach(process, Target.why(e), e);
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
}
