package dev.jwq.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code jwq} command line ({@code java -jar jwq-agent.jar COMMAND ...}): reads JFR
 * recordings of jwq's events the way {@code wq_monitor.py} reads a live kernel, watches and dumps
 * a running JVM's runtime over JMX, and prints the settings file that makes the recordings.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: jwq COMMAND [ARGS]

            commands:
              %s
                  wq_monitor's table per workqueue (total, infl, CPUtime, CPUitsv, CMW/RPR, mayday,
                  rescued) and the recorded items' queue latency and run time (p50, p99, max);
                  -j prints JSON; REGEX patterns select workqueues by name
              %s
                  writes a self-contained HTML page with charts: items/s and latency percentiles
                  over time per workqueue, workers over time per pool, stalls marked
              %s
                  attaches to a running JVM and prints wq_monitor's table (total, total/s, infl,
                  CPUitsv, CMW, mayday, rescued) every SECONDS (default 1; 0 prints once) and the
                  busy pools, until interrupted or COUNT tables; REGEX patterns select workqueues
              %s
                  attaches to a running JVM and prints wq_dump's sections and the jwq settings
              %s
                  prints jwq.jfc, the JFR settings for jwq's events; save it and record with
                  -XX:StartFlightRecording:settings=default,settings=jwq.jfc,filename=rec.jfr
              help
                  prints this text
            """.formatted(StatCommand.USAGE, ReportCommand.USAGE, TopCommand.USAGE, DumpCommand.USAGE, "jfc");

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != EXIT_OK) {
            System.exit(status);
        }
    }

    /** Runs one command; returns the exit status. Errors are one line on {@code err}, never a stack trace. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return EXIT_USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "stat" -> StatCommand.run(rest, out, err);
                case "report" -> ReportCommand.run(rest, out, err);
                case "top" -> TopCommand.run(rest, out);
                case "dump" -> DumpCommand.run(rest, out);
                case "jfc" -> jfc(rest, out);
                case "help", "-h", "--help" -> out.print(USAGE);
                default -> throw new ToolException(EXIT_USAGE, "unknown command '" + args[0] + "'\n" + USAGE);
            }
            return EXIT_OK;
        } catch (ToolException e) {
            err.println("jwq: " + e.getMessage());
            return e.status;
        }
    }

    private static void jfc(List<String> args, PrintStream out) throws ToolException {
        if (!args.isEmpty()) {
            throw new ToolException(EXIT_USAGE, "jfc takes no arguments\nusage: jwq jfc > jwq.jfc");
        }
        try (InputStream in = Main.class.getResourceAsStream(JFC_RESOURCE)) {
            if (in == null) {
                throw new ToolException(EXIT_FAILURE, JFC_RESOURCE + " is missing from the class path");
            }
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw new ToolException(EXIT_FAILURE, "cannot read " + JFC_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The settings file in the runtime jar. */
    static final String JFC_RESOURCE = "/dev/jwq/jwq.jfc";

    static Path path(String arg) throws ToolException {
        try {
            return Path.of(arg);
        } catch (InvalidPathException e) {
            throw new ToolException(EXIT_USAGE, "not a file name: " + arg);
        }
    }
}
