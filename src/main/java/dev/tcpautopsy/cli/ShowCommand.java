package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.report.text.FlowText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tcpautopsy show FILE --stream N}: one connection, explained in the terminal. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Explains one connection: verdict, reason, what the applications saw, evidence frames, "
                + "state transitions and a ladder diagram of its last packets.",
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy show incident.pcapng --stream 7",
                "  tcpautopsy show incident.pcapng -s 7 --idle-threshold 5m",
                "",
                "The stream number is Wireshark's tcp.stream (the report's 'stream' column).",
                "Exit status: 0 shown, 1 the capture could not be read completely, 2 usage error or no such stream."})
public final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A capture file (pcap or pcapng, optionally gzip-compressed), or '-'.")
    String file;

    @Option(names = {"-s", "--stream"}, paramLabel = "N", required = true,
            description = "The connection's stream number (Wireshark's tcp.stream).")
    long stream;

    @Option(names = "--idle-threshold", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class, description = "As for analyze (default: ${DEFAULT-VALUE}).")
    Duration idleThreshold;

    private final Environment env;

    ShowCommand(Environment env) {
        this.env = env;
    }

    @Option(names = "--no-payload", description = "Do not read the applications' messages from the payload.")
    boolean noPayload;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stream < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stream must be 0 or more, got " + stream);
        }
        if (!Input.STDIN.equals(file) && Files.isDirectory(Paths.get(file))) {
            err.println("tcpautopsy: show explains one connection of one capture, and " + file + " is a directory: "
                    + "name a capture file in it (tcpautopsy analyze " + file + " lists each connection with its file)");
            return ExitCodes.USAGE;
        }
        Input input = Input.STDIN.equals(file) ? Input.stdin() : new Input(file, Paths.get(file));
        AnalysisOptions options = new AnalysisOptions(idleThreshold, false, 1, Set.of(), Set.of(), Set.of(), false)
                .withDetailStream(stream).withPayload(!noPayload);
        try (AnalysisResult result = env.engine().analyze(options, List.of(input), ProgressListener.NONE)) {
            return show(result.report(), out, err);
        }
    }

    private int show(AnalysisReport report, PrintWriter out, PrintWriter err) {
        long flows = 0;
        long lowest = Long.MAX_VALUE;
        long highest = -1;
        List<Flow> shown = new ArrayList<>();
        String shownFile = null;
        for (CaptureReport c : report.captures()) {
            if (c.error() != null) {
                err.println("tcpautopsy: " + c.error().message());
            }
            if (c.flows() == null) {
                continue;
            }
            for (Flow f : c.flows()) {
                flows++;
                lowest = Math.min(lowest, f.stream());
                highest = Math.max(highest, f.stream());
                if (f.stream() == stream) {
                    shown.add(f);
                    shownFile = c.file();
                }
            }
        }
        if (!shown.isEmpty()) {
            // a connection that went on after it was judged is a second flow in its stream: show each
            for (int i = 0; i < shown.size(); i++) {
                if (shown.size() > 1) {
                    out.printf("%sflow %d of %d in stream %d%n", i == 0 ? "" : "\n", i + 1, shown.size(), stream);
                }
                FlowText.write(shownFile, shown.get(i), out);
            }
            return report.complete() ? ExitCodes.OK : ExitCodes.INPUT_UNREADABLE;
        }
        if (!report.complete() && flows == 0) {
            // nothing could be read: the line naming the problem says all
            return ExitCodes.INPUT_UNREADABLE;
        }
        err.printf("tcpautopsy: no stream %d in %s (%s)%n", stream, file, flows == 0 ? "it has no TCP connection"
                : "it has " + flows + " connection" + (flows == 1 ? "" : "s") + ", streams " + lowest + " to " + highest);
        return report.complete() ? ExitCodes.USAGE : ExitCodes.INPUT_UNREADABLE;
    }
}
