package dev.jwq.tool;

import dev.jwq.jmx.JwqRuntimeMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMX;

/**
 * {@code jwq dump PID}: {@code wq_dump.py} for a running JVM. Prints the runtime's own dump
 * ({@code dev.jwq:type=Runtime}'s {@code dump()}: affinity scopes, worker pools, workqueue to
 * pool mapping, rescuers, unbound max_active, busy pools) and then the settings in force.
 */
final class DumpCommand {
    static final String USAGE = "dump PID";
    static final String HELP = """
            Attaches to a running JVM (as jconsole does; run it as the same user) and prints
            wq_dump's sections: affinity scopes, worker pools, workqueue -> pool, rescuers, unbound
            max_active, then the busy pools with what each worker runs and its stack, then the jwq
            settings in force.""";

    private DumpCommand() {
    }

    static void run(List<String> args, PrintStream out) throws ToolException {
        if (args.size() != 1) {
            throw new ToolException(Main.EXIT_USAGE, "dump: " + (args.isEmpty() ? "which PID?" : "takes one PID")
                    + "\nusage: jwq " + USAGE);
        }
        try (Target target = Target.attach("dump", args.get(0))) {
            JwqRuntimeMXBean runtime = JMX.newMXBeanProxy(target.mbeans, Target.RUNTIME, JwqRuntimeMXBean.class);
            String dump;
            Map<String, String> settings;
            try {
                dump = runtime.dump();
                settings = new TreeMap<>(runtime.getSettings());
            } catch (UndeclaredThrowableException e) {
                // A proxy call's IOException (the target exited) arrives wrapped.
                if (e.getCause() instanceof IOException io) {
                    throw target.lost(io);
                }
                throw new ToolException(Main.EXIT_FAILURE, "PID " + target.pid + " failed to dump: " + Target.why(e),
                        e);
            }
            out.print(dump);
            if (!dump.endsWith("\n")) {
                out.println();
            }
            out.print("\nSettings\n========\n");
            settings.forEach((k, v) -> out.println(k + " = " + v));
            out.flush();
        }
    }
}
