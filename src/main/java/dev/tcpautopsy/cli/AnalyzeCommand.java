package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportWriter;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.formats.ReportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tcpautopsy analyze}: captures in, reports out. */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Classifies how every TCP connection in the captures ended and who ended it, "
                + "and writes the reports (index.html, flows.csv, report.json, summary.md)."},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy analyze incident.pcapng                  reports in ./tcpautopsy-report/",
                "  tcpautopsy analyze -o out/ /var/captures/           every capture under the directory",
                "  tcpautopsy analyze --merge rot-*.pcap.gz            rotated pieces of one capture",
                "  tcpautopsy analyze --only-abnormal --port 443 -f csv,md cap.pcap",
                "  tcpautopsy analyze -f json -o - cap.pcap | jq '.captures[].flows[].termination.class'",
                "  tcpdump -i eth0 -w - | tcpautopsy analyze -",
                "",
                "Exit status: 0 every input was read, 1 some input could not be read (the others are "
                        + "still reported), 2 usage error, 3 the reports could not be written."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Capture files (pcap, pcapng, either gzip-compressed), directories (searched "
                    + "recursively for captures), or '-' for standard input.")
    List<String> paths;

    @Option(names = "--idle-threshold", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "A silence at least this long is an idle gap, e.g. 500ms, 30s, 5m (default: ${DEFAULT-VALUE}).")
    Duration idleThreshold;

    @Option(names = "--merge", description = "Treat the inputs as one capture cut into pieces (tcpdump -C/-G "
            + "rotation), ordered by time, so a connection spanning files gets one verdict.")
    boolean merge;

    @Option(names = "--host", paramLabel = "IP", split = ",", converter = HostConverter.class,
            description = "Keep only connections with this address at either end (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", split = ",",
            description = "Keep only connections with this port at either end (repeatable).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--class", paramLabel = "CLASS", split = ",",
            description = "Keep only connections that ended this way (repeatable): ${COMPLETION-CANDIDATES}.")
    List<TerminationClass> classes = new ArrayList<>();

    @Option(names = "--only-abnormal", description = "Keep only abnormal endings (not FIN_ORDERLY, not OPEN_AT_END).")
    boolean onlyAbnormal;

    @Option(names = "--no-payload", description = "Do not read the applications' messages from the payload "
            + "(no request, response or goodbye in the reports; headers only, as when the capture has none).")
    boolean noPayload;

    @Option(names = {"-j", "--threads"}, paramLabel = "N",
            description = "Files analyzed in parallel (default: the number of processors).")
    Integer threads;

    private final Environment env;

    AnalyzeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<ReportFormat> formats = output.formats();
        AnalysisOptions options = options();

        String badOut = OutputOptions.notADirectory(output.out);
        if (badOut != null) {
            err.println(badOut);
            return ExitCodes.USAGE;
        }
        InputExpander.Expansion expansion = InputExpander.expand(paths);
        for (String dir : expansion.emptyDirectories()) {
            err.println("tcpautopsy: no capture found under " + dir);
        }
        if (output.verbose) {
            expansion.skipped().forEach(s -> err.println("tcpautopsy: skipped (not a capture): " + s));
        }
        List<Input> inputs = expansion.inputs();
        if (inputs.isEmpty()) {
            err.println("tcpautopsy: nothing to analyze");
            return ExitCodes.INPUT_UNREADABLE;
        }
        if (inputs.stream().filter(Input::isStdin).count() > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'-' (standard input) can be given once");
        }

        List<ReportRenderer> renderers = formats.stream().map(ReportFormat::renderer).toList();
        Thread preparing = prepare(renderers);
        ProgressLine progress = env.interactive() && !output.noProgress ? new ProgressLine(err, System::nanoTime) : null;
        AnalysisResult result;
        try {
            result = env.engine().analyze(options, inputs, progress == null ? ProgressListener.NONE : progress);
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        try (result) {
            return report(result.report(), expansion.allMissing(), renderers, preparing, out, err);
        }
    }

    /**
     * Names the unreadable inputs and writes the reports; the exit status. When every input named a path
     * that does not exist and none could be read, there is no report (it would be empty): the lines
     * naming them are all.
     */
    private int report(AnalysisReport report, boolean allMissing, List<ReportRenderer> renderers, Thread preparing,
                       PrintWriter out, PrintWriter err) {
        for (CaptureReport c : report.captures()) {
            if (c.error() != null) {
                err.println("tcpautopsy: " + c.error().message());
            }
        }
        // an I/O error has no byte offset (-1): the path was not there to read, as opposed to damaged
        if (allMissing && report.captures().stream().allMatch(c -> c.error() != null && c.error().offset() < 0)) {
            return ExitCodes.INPUT_UNREADABLE;
        }

        join(preparing);
        long t0 = System.nanoTime();
        try {
            if (output.toStdout()) {
                ReportWriter.serial(renderers).write(report, ReportTarget.stream(env.stdout()));
            } else {
                Path dir = Paths.get(output.out);
                // the analysis is done: the processors beyond the formats' two threads format their flows
                int spare = Runtime.getRuntime().availableProcessors() - 2;
                ReportWriter.concurrent(renderers, spare).write(report, ReportTarget.directory(dir));
                FirstRunSummary.print(out, report, dir, renderers);
            }
        } catch (IOException e) {
            err.println("tcpautopsy: cannot write the report to " + output.out + ": " + e);
            return ExitCodes.FAILURE;
        }
        if (output.verbose) {
            err.printf("tcpautopsy: rendering took %s%n", Units.duration((System.nanoTime() - t0) / 1e9));
        }
        return report.complete() ? ExitCodes.OK : ExitCodes.INPUT_UNREADABLE;
    }

    /**
     * Prepares the renderers on a thread of their own while the captures are read: a capture keeps
     * the cores busy only part of the time, and the HTML renderer's first use costs some 0.3 s.
     * Whatever goes wrong there shows again when the report is rendered, and is reported then.
     */
    private static Thread prepare(List<ReportRenderer> renderers) {
        Thread t = new Thread(() -> {
            for (ReportRenderer r : renderers) {
                try {
                    r.prepare();
                } catch (RuntimeException | Error ignored) {
                    // rendering meets the same problem and says so
                }
            }
        }, "tcpautopsy-prepare");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    AnalysisOptions options() {
        int n = threads == null ? AnalysisOptions.defaults().threads() : threads;
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + n);
        }
        for (int p : ports) {
            if (p < 0 || p > 65535) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--port " + p + " is not a TCP port (expected 0..65535)");
            }
        }
        return new AnalysisOptions(idleThreshold, merge, n, Set.copyOf(hosts), Set.copyOf(ports),
                Set.copyOf(classes), onlyAbnormal).withPayload(!noPayload);
    }
}
