package dev.jwq.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jwq report REC.jfr OUT.html}: one self-contained HTML page (no network: the data is a
 * JSON block in the page, the charts are SVG drawn by inline script) with, per workqueue, items
 * per second and queue-latency percentiles over time, per pool its workers over time, and the
 * stalls marked on every chart. The numbers come from {@link ReportData}.
 */
final class ReportCommand {
    static final String USAGE = "report REC.jfr OUT.html";
    static final String HELP = """
            Writes a self-contained HTML page (no network) with charts: per workqueue items/s and
            queue latency p50/p99/max over time, per pool workers/running/idle/pending over time,
            stalls marked on every chart and listed with the pool's dump; the stat table on top.""";
    static final String TEMPLATE = "/dev/jwq/tool/report.html";
    static final String PLACEHOLDER = "__JWQ_DATA__";

    private ReportCommand() {
    }

    static void run(List<String> args, PrintStream out, PrintStream err, Terminal terminal) throws ToolException {
        if (args.size() != 2) {
            throw new ToolException(Main.EXIT_USAGE, "report needs a recording and an output file\nusage: jwq " + USAGE);
        }
        Path in = Main.path(args.get(0));
        Path html = Main.path(args.get(1));
        checkWritable(html); // before reading: a large recording takes a while to find out
        RecordingData d = RecordingData.read(in, err, terminal.err());
        String page = template().replace(PLACEHOLDER, ReportData.json(d));
        try {
            Files.writeString(html, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot write " + html + ": " + reason(e), e);
        }
        out.println("wrote " + html + " (" + d.workqueues.size() + " workqueues, " + d.pools.size() + " pools, "
                + d.stalls.size() + " stalls)");
    }

    /** Whether {@code html} can be written: its directory exists and is writable, and it is no directory itself. */
    static void checkWritable(Path html) throws ToolException {
        Path dir = html.toAbsolutePath().getParent();
        String problem = null;
        if (Files.isDirectory(html)) {
            problem = "it is a directory";
        } else if (dir == null || !Files.isDirectory(dir)) {
            problem = "no such directory " + dir;
        } else if (Files.exists(html) ? !Files.isWritable(html) : !Files.isWritable(dir)) {
            problem = "permission denied";
        }
        if (problem != null) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot write " + html + ": " + problem);
        }
    }

    /** An I/O failure's reason in words: {@code NoSuchFileException}'s message is only the path. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String template() throws ToolException {
        try (InputStream t = ReportCommand.class.getResourceAsStream(TEMPLATE)) {
            if (t == null) {
                throw new ToolException(Main.EXIT_FAILURE, TEMPLATE + " is missing from the class path");
            }
            return new String(t.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot read " + TEMPLATE + ": " + e.getMessage(), e);
        }
    }
}
