package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.compare.Comparer;
import dev.tcpautopsy.compare.TooManySegments;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.compare.CompareFormat;
import dev.tcpautopsy.report.compare.CompareRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tcpautopsy compare A B}: the same traffic at two points, what one saw and the other did not. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Compares two captures of the same traffic taken at two points (client and server host, "
                + "both sides of a firewall, load balancer or NAT): matches each connection across them, lists "
                + "the segments lost between the points and those that appeared in between (injected RSTs), "
                + "and what changed on the way; writes compare.html, compare.csv and compare.json."},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy compare client.pcap server.pcap -o cmp/",
                "  tcpautopsy compare outside/ inside/              every capture of a directory, merged by time",
                "  tcpautopsy compare a1.pcap,a2.pcap b.pcap.gz    several files of one point, merged by time",
                "  tcpautopsy compare -f json -o - a.pcap b.pcap | jq .summary.text",
                "",
                "Exit status: 0 both points were read, 1 some input could not be read (what was read is "
                        + "compared) or is too large, 2 usage error, 3 the reports could not be written."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first point: a capture file, a directory of "
            + "captures, or a comma list of files (several are merged by time, as with analyze --merge).")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The second point, likewise.")
    String b;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "tcpautopsy-compare",
            description = "Directory for the reports, created if missing (default: ${DEFAULT-VALUE}). "
                    + "'-' writes the one selected format to standard output.")
    String out;

    @Option(names = {"-f", "--format"}, paramLabel = "LIST", split = ",", defaultValue = "html,csv,json",
            description = "Comma list of html (compare.html), csv (compare.csv), json (compare.json), or all "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--idle-threshold", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class, description = "As for analyze (default: ${DEFAULT-VALUE}).")
    Duration idleThreshold;

    @Option(names = "--max-segments", paramLabel = "N",
            description = "TCP segments one point may hold: all are kept in memory, some 330 bytes each with "
                    + "what goes with them (default: one per KB of the JVM's maximum heap, at least 100000).")
    Long maxSegments;

    private final Environment env;

    CompareCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<CompareRenderer> renderers = renderers();
        if (maxSegments == null) {
            maxSegments = Comparer.MAX_SEGMENTS;
        } else if (maxSegments < 1) {
            throw new ParameterException(spec.commandLine(), "--max-segments must be at least 1, got " + maxSegments);
        }
        String badOut = OutputOptions.notADirectory(out);
        if (badOut != null) {
            err.println(badOut);
            return ExitCodes.USAGE;
        }
        List<Input> inA = inputs(a, "A"), inB = inputs(b, "B");
        Comparer comparer = new Comparer(this::analyze, idleThreshold, maxSegments);
        Comparison c;
        try {
            c = comparer.compare(inA, inB);
        } catch (TooManySegments e) {
            err.println("tcpautopsy: " + e.getMessage());
            return ExitCodes.INPUT_UNREADABLE;
        } catch (OutOfMemoryError e) {
            err.println("tcpautopsy: out of memory comparing " + a + " and " + b + " (" + maxSegments / 1000 + "k segments "
                    + "a point allowed, " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB of heap): lower "
                    + "--max-segments, cut the captures to the incident's time window, or give java a larger -Xmx");
            return ExitCodes.INPUT_UNREADABLE;
        }
        for (Comparison.Point p : List.of(c.a(), c.b())) {
            if (p.error() != null) {
                err.println("tcpautopsy: " + p.error().message());
            }
        }
        if (c.a().packets() == 0 || c.b().packets() == 0) {
            err.println("tcpautopsy: nothing to compare: " + (c.a().packets() == 0 ? "A (" + a + ")" : "B (" + b + ")")
                    + " holds no packet");
            return ExitCodes.INPUT_UNREADABLE;
        }
        try {
            ReportTarget target = "-".equals(out) ? ReportTarget.stream(env.stdout()) : ReportTarget.directory(Paths.get(out));
            for (CompareRenderer r : renderers) {
                r.render(c, target);
            }
        } catch (IOException e) {
            err.println("tcpautopsy: cannot write the report to " + out + ": " + e);
            return ExitCodes.FAILURE;
        }
        if (!"-".equals(out)) {
            printWritten(c, renderers);
        }
        return c.complete() ? ExitCodes.OK : ExitCodes.INPUT_UNREADABLE;
    }

    private AnalysisResult analyze(List<Input> inputs) {
        AnalysisOptions o = new AnalysisOptions(idleThreshold, inputs.size() > 1, 1, Set.of(), Set.of(), Set.of(), false);
        return env.engine().analyze(o, inputs, ProgressListener.NONE);
    }

    /** A file, a directory (its captures), or a comma list of files. */
    private List<Input> inputs(String arg, String point) {
        if (Input.STDIN.equals(arg)) {
            throw new ParameterException(spec.commandLine(), "compare reads files: '-' (standard input) cannot be " + point);
        }
        List<String> paths = Files.exists(Paths.get(arg)) || !arg.contains(",") ? List.of(arg)
                : List.of(arg.split(","));
        InputExpander.Expansion e = InputExpander.expand(paths);
        if (e.inputs().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no capture found for " + point + " under " + arg);
        }
        return e.inputs();
    }

    private List<CompareRenderer> renderers() {
        List<CompareRenderer> out = new ArrayList<>();
        for (CompareFormat c : FormatList.parse(formats, CompareFormat.class, v -> v, spec.commandLine(),
                "html, csv, json, all")) {
            out.add(c.renderer());
        }
        if ("-".equals(this.out) && out.size() != 1) {
            throw new ParameterException(spec.commandLine(), "-o - writes one format to standard output, but "
                    + out.size() + " were selected; pick one with -f");
        }
        return out;
    }

    private void printWritten(Comparison c, List<CompareRenderer> renderers) {
        PrintWriter o = spec.commandLine().getOut();
        o.println(c.summary().text());
        Path dir = Paths.get(out);
        for (CompareRenderer r : renderers) {
            Path f = dir.resolve(r.fileName());
            try {
                o.printf("  %s (%s)%n", f, Units.bytes(Files.size(f)));
            } catch (IOException e) {
                o.printf("  %s%n", f);
            }
        }
    }
}
