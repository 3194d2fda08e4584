package dev.jwq.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The {@code jwq} command line ({@code bin/jwq}, or {@code java -jar jwq-agent.jar COMMAND ...}):
 * reads JFR recordings of jwq's events the way {@code wq_monitor.py} reads a live kernel, watches
 * and dumps a running JVM's runtime over JMX, and prints the settings file that makes the
 * recordings.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    /** One command: its usage line and what {@code jwq COMMAND --help} says about it. */
    private record Command(String name, String usage, String help) {
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("stat", StatCommand.USAGE, StatCommand.HELP),
            new Command("report", ReportCommand.USAGE, ReportCommand.HELP),
            new Command("top", TopCommand.USAGE, TopCommand.HELP),
            new Command("dump", DumpCommand.USAGE, DumpCommand.HELP),
            new Command("jfc", "jfc", """
                    Prints jwq.jfc, the JFR settings for jwq's events. Save it and record with
                    -XX:StartFlightRecording:settings=default,settings=jwq.jfc,filename=rec.jfr
                    (option jwq-items=off|sampled|all chooses the per-item events)."""));

    static final String USAGE = usage();

    private static String usage() {
        StringBuilder b = new StringBuilder("usage: jwq COMMAND [ARGS]\n\ncommands:\n");
        for (Command c : COMMANDS) {
            b.append("  ").append(c.usage).append('\n');
            c.help.lines().forEach(l -> b.append("      ").append(l).append('\n'));
        }
        return b.append("""
                  help [COMMAND], COMMAND --help
                      prints this text, or one command's
                  --version
                      prints jwq's version
                """).toString();
    }

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, Terminal.detect());
        if (status != EXIT_OK) {
            System.exit(status);
        }
    }

    /** {@link #run(String[], PrintStream, PrintStream, Terminal)} with neither stream a terminal. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Terminal.NONE);
    }

    /** Runs one command; returns the exit status. Errors are one line on {@code err}, never a stack trace. */
    static int run(String[] args, PrintStream out, PrintStream err, Terminal terminal) {
        if (args.length == 0) {
            err.print(USAGE);
            return EXIT_USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            String name = args[0];
            if (rest.contains("-h") || rest.contains("--help")) {
                out.print(help(command(name)));
                return EXIT_OK;
            }
            switch (name) {
                case "stat" -> StatCommand.run(rest, out, err, terminal);
                case "report" -> ReportCommand.run(rest, out, err, terminal);
                case "top" -> TopCommand.run(rest, out, terminal);
                case "dump" -> DumpCommand.run(rest, out);
                case "jfc" -> jfc(rest, out);
                case "help", "-h", "--help" -> out.print(rest.isEmpty() ? USAGE : help(command(rest.get(0))));
                case "--version", "-V", "version" -> out.println("jwq " + version());
                default -> throw new ToolException(EXIT_USAGE, "unknown command '" + name + "'\n" + USAGE);
            }
            out.flush();
            return EXIT_OK;
        } catch (ToolException e) {
            err.println("jwq: " + e.getMessage());
            return e.status;
        }
    }

    private static Command command(String name) throws ToolException {
        for (Command c : COMMANDS) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new ToolException(EXIT_USAGE, "unknown command '" + name + "'\n" + USAGE);
    }

    private static String help(Command c) {
        return "usage: jwq " + c.usage + "\n\n" + c.help.strip() + "\n";
    }

    /** The version the build wrote into {@code version.properties}. */
    static String version() throws ToolException {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new ToolException(EXIT_FAILURE, "dev/jwq/tool/version.properties is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new ToolException(EXIT_FAILURE, "cannot read version.properties: " + e.getMessage(), e);
        }
        return p.getProperty("version", "unknown");
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
