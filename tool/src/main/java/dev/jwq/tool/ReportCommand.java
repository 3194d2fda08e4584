package dev.jwq.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    static final String TEMPLATE = "/dev/jwq/tool/report.html";
    static final String PLACEHOLDER = "__JWQ_DATA__";

    private ReportCommand() {
    }

    static void run(List<String> args, PrintStream out, PrintStream err) throws ToolException {
        if (args.size() != 2) {
            throw new ToolException(Main.EXIT_USAGE, "report needs a recording and an output file\nusage: jwq " + USAGE);
        }
        Path in = Main.path(args.get(0));
        Path html = Main.path(args.get(1));
        RecordingData d = RecordingData.read(in, err);
        String page = template().replace(PLACEHOLDER, ReportData.json(d));
        try {
            Files.writeString(html, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolException(Main.EXIT_FAILURE, "cannot write " + html + ": " + e.getMessage(), e);
        }
        out.println("wrote " + html + " (" + d.workqueues.size() + " workqueues, " + d.pools.size() + " pools, "
                + d.stalls.size() + " stalls)");
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
