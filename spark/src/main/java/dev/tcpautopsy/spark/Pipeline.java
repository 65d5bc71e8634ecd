package dev.tcpautopsy.spark;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.capture.CaptureLimits;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.findings.BatchFindings;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AnalysisSettings;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.CaptureError;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.FindingTexts;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.csv.CsvRenderer;
import dev.tcpautopsy.report.html.HtmlRenderer;
import dev.tcpautopsy.report.json.JsonRenderer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job's one door into tcpautopsy: every call into its analysis, model and reports goes through
 * here, so that the rest of the job deals in file paths, CSV cells, JSON and {@link CaptureSummary}s
 * only (and a {@link Batch} it hands back). A capture is analyzed as {@code tcpautopsy analyze} analyzes
 * it ({@link Analyzer}, the engine behind the command), its flows leave as the command's
 * {@code flows.csv}, its findings and the archive's as the command's report.json spells them, and the
 * archive's overview is the command's {@code index.html} over every capture.
 */
final class Pipeline {
    private Pipeline() {
    }

    /** A piece of a capture on this machine's disk, and how reports name it. */
    record LocalPiece(String name, Path path) {
    }

    /**
     * One analyzed series: its summary, its report without flows (encoded, for the overview page) and
     * its flows as {@code flows.csv} in {@code csv}.
     */
    record Analysis(CaptureSummary summary, byte[] report, Path csv) {
    }

    /** The overview page's file name. */
    static final String OVERVIEW = HtmlRenderer.FILE;

    /** The flows.csv columns, in order. */
    static List<String> columns() {
        return CsvRenderer.COLUMNS;
    }

    /** The termination classes in the contract's order. */
    static List<String> classes() {
        return java.util.Arrays.stream(TerminationClass.values()).map(Enum::name).toList();
    }

    /** The classes an on-call engineer would look at. */
    static Set<String> abnormalClasses() {
        Set<String> out = new LinkedHashSet<>();
        for (TerminationClass c : TerminationClass.values()) {
            if (c.isAbnormal()) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** Whether a stream starts as a capture does (pcap or pcapng, gzip too), by the readers' own check. */
    static boolean looksLikeCapture(InputStream in, String name) {
        CaptureLimits d = CaptureLimits.DEFAULT;
        // a small buffer: only the header is read
        try (CaptureReader r = Captures.open(in, new CaptureLimits(d.maxRecordLength(), d.maxBlockLength(), 4096))) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Analyzes the pieces as one capture (merged by time when there are several) and writes its
     * flows.csv into {@code csvDir}. The analyzer's temporary files are gone when this returns.
     */
    static Analysis analyze(List<LocalPiece> pieces, Duration idleThreshold, Path csvDir) throws IOException {
        List<Input> inputs = pieces.stream().map(p -> new Input(p.name(), p.path())).toList();
        AnalysisOptions options = new AnalysisOptions(idleThreshold, inputs.size() > 1, 1, Set.of(), Set.of(), Set.of(),
                false);
        // a task is a core of its executor (spark.task.cpus): the other cores run other tasks
        try (Analyzer analyzer = new Analyzer(options, 1)) {
            AnalysisReport report = analyzer.analyze(inputs, ProgressListener.NONE).report();
            new CsvRenderer().render(report, ReportTarget.directory(csvDir));
            CaptureReport c = report.captures().get(0);
            return new Analysis(summary(c, report.toolVersion()), RecordCodec.encode(c.withFlows(null)),
                    csvDir.resolve(CsvRenderer.FILE));
        }
    }

    /** A series that could not be analyzed at all (not fetched, say), as the reports list such a capture. */
    static Analysis unreadable(String name, String message) {
        CaptureReport c = new CaptureReport(name, null, false, 0, 0, null, null, List.of(), null, null,
                new CaptureError(message, -1), null, null);
        return new Analysis(summary(c, null), RecordCodec.encode(c), null);
    }

    /**
     * The archive on the driver: every capture's report without flows, in the archive's order, as one
     * report of the command, with the findings across the captures gathered as {@code analyze} gathers a
     * batch's ({@link BatchFindings}, from the captures' own findings).
     */
    static final class Batch {
        private final AnalysisReport report;

        private Batch(AnalysisReport report) {
            this.report = report;
        }
    }

    /** The captures' reports (as {@link Analysis#report()} holds them), in the archive's order, as one batch. */
    static Batch batch(List<byte[]> reports, String toolVersion, Duration idleThreshold, List<String> inputs) {
        List<CaptureReport> captures = new ArrayList<>();
        for (byte[] r : reports) {
            captures.add(RecordCodec.decode(r, CaptureReport.class));
        }
        boolean merged = captures.stream().anyMatch(c -> c.file().contains(", "));
        return new Batch(new AnalysisReport(toolVersion == null ? "dev" : toolVersion, Instant.now(),
                new AnalysisSettings(idleThreshold, merged, inputs), captures, BatchFindings.of(captures)));
    }

    /**
     * Writes the command's {@code index.html} for every capture: the batch overview and each capture's
     * facts, findings, charts and rankings (the connection tables are in the Parquet flows instead).
     */
    static void writeOverview(Batch b, ReportTarget target) throws IOException {
        new HtmlRenderer().render(b.report, target);
    }

    /**
     * The findings as report.json spells them, the batch's and each capture's: read back from the
     * command's report.json of the batch (without flows), written to a temporary file by its own renderer.
     */
    static ReportFindings.Findings findings(Batch b) throws IOException {
        Path json = Files.createTempFile("tcpautopsy-archive-", ".json");
        try {
            new JsonRenderer().render(b.report, name -> Files.newOutputStream(json));
            try (InputStream in = Files.newInputStream(json)) {
                return ReportFindings.read(in);
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** What {@code analyze} prints after its totals: the top findings, or the line that says there are none. */
    static List<String> whatWentWrong(Batch b, int n) {
        List<FindingTexts.Line> top = FindingTexts.top(b.report, n);
        if (top.isEmpty()) {
            return List.of(FindingTexts.none(b.report));
        }
        List<String> out = new ArrayList<>();
        out.add("What went wrong:");
        for (int i = 0; i < top.size(); i++) {
            out.add("  " + (i + 1) + ". " + top.get(i).text());
        }
        return out;
    }

    /** Endings of all captures added up: the counts of a batch's headline. */
    record Totals(long captures, long connections, long abnormal, Map<String, Long> byClass,
                  Map<String, Map<String, Long>> byClassAndBy) {
    }

    /** The endings of the batch's captures added up. */
    static Totals totals(Batch batch) {
        EndingTotals t = batch.report.totals();
        Map<String, Map<String, Long>> byClassAndBy = new LinkedHashMap<>();
        for (TerminationClass c : TerminationClass.values()) {
            Map<String, Long> byWho = new LinkedHashMap<>();
            for (By b : By.values()) {
                long n = t.count(c, b);
                if (n > 0) {
                    byWho.put(b.wire(), n);
                }
            }
            if (!byWho.isEmpty()) {
                byClassAndBy.put(c.name(), byWho);
            }
        }
        return new Totals(t.captures(), t.flows(), t.abnormal(), classCounts(t.byClass()), byClassAndBy);
    }

    /** A threshold as the reports write it ({@code 30s}). */
    static String threshold(Duration d) {
        return Units.threshold(d);
    }

    /** Times as the reports write them (ISO-8601 UTC, microseconds or nanoseconds). */
    static String instant(Instant t) {
        return t == null ? null : Texts.instant(t);
    }

    private static CaptureSummary summary(CaptureReport c, String toolVersion) {
        EndingSummary s = c.summary();
        CaptureError e = c.error();
        return new CaptureSummary(c.file(), c.format(), c.compressed(), c.bytes(), c.packets(), instant(c.first()),
                instant(c.last()), c.vantage(), e == null ? null : e.message(), e == null ? -1 : e.offset(),
                s == null ? 0 : s.flows(), s == null ? 0 : s.abnormal(),
                s == null ? Map.of() : classCounts(s.byClass()), s == null ? Map.of() : byClassAndBy(s),
                s == null ? List.of() : ranked(s.topHosts()), s == null ? List.of() : ranked(s.topPorts()),
                c.first() == null ? null : LocalDate.ofInstant(c.first(), ZoneOffset.UTC), toolVersion);
    }

    private static Map<String, Long> classCounts(Map<TerminationClass, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TerminationClass c : TerminationClass.values()) {
            Long n = m.get(c);
            if (n != null) {
                out.put(c.name(), n);
            }
        }
        return out;
    }

    private static Map<String, Map<String, Long>> byClassAndBy(EndingSummary s) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (TerminationClass c : TerminationClass.values()) {
            Map<By, Long> m = s.byClassAndBy().get(c);
            if (m == null) {
                continue;
            }
            Map<String, Long> byWho = new LinkedHashMap<>();
            for (By b : By.values()) {
                Long n = m.get(b);
                if (n != null) {
                    byWho.put(b.wire(), n);
                }
            }
            out.put(c.name(), byWho);
        }
        return out;
    }

    private static List<CaptureSummary.Ranked> ranked(List<EndingSummary.Ranked> list) {
        return list.stream().map(r -> new CaptureSummary.Ranked(r.key(), r.flows(), r.abnormal(),
                classCounts(r.byClass()))).toList();
    }
}
