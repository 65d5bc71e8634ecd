package dev.tcpautopsy.cli;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.FindingTexts;
import dev.tcpautopsy.report.ReportRenderer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} prints when its reports are written: the totals, the top findings across
 * connections (or the line that says there are none), how many connections ended each way with what that
 * means, the most frequent abnormal endings with a connection to look at first, and where the reports
 * are. A person's first run should say what went wrong without opening anything.
 */
final class FirstRunSummary {
    /** Findings printed after the totals; the reports have them all. */
    static final int TOP_FINDINGS = 3;
    /** The abnormal endings listed, the most frequent first. */
    static final int TOP = 5;
    /** Flows read looking for an example of each top ending; past it, an ending goes without one. */
    private static final int EXAMPLE_SEARCH = 100_000;

    private FirstRunSummary() {
    }

    private record Top(TerminationClass cls, By by, long count) {
    }

    static void print(PrintWriter out, AnalysisReport report, Path dir, List<ReportRenderer> renderers) throws IOException {
        EndingTotals t = report.totals();
        out.printf("%d capture%s, %s connection%s, %s abnormal ending%s%n", t.captures(), t.captures() == 1 ? "" : "s",
                Units.count(t.flows()), t.flows() == 1 ? "" : "s", Units.count(t.abnormal()), t.abnormal() == 1 ? "" : "s");
        List<FindingTexts.Line> findings = FindingTexts.top(report, TOP_FINDINGS);
        if (findings.isEmpty()) {
            out.println(FindingTexts.none(report));
        } else {
            out.println("What went wrong:");
            for (int i = 0; i < findings.size(); i++) {
                out.printf("  %d. %s%n", i + 1, findings.get(i).text());
            }
        }
        if (t.flows() > 0) {
            classes(out, t);
            top(out, report, t);
        }
        out.println();
        out.println("Reports:");
        for (ReportRenderer r : renderers) {
            Path file = dir.resolve(r.fileName());
            out.printf("  %s (%s)%s%n", file, Units.bytes(Files.size(file)),
                    r.fileName().equals("index.html") ? "   open it in a browser" : "");
        }
    }

    /** One line a class that occurred: abnormal ones first, the most frequent first, with the glossary's line. */
    private static void classes(PrintWriter out, EndingTotals t) {
        Glossary g = Glossary.standard();
        List<Map.Entry<TerminationClass, Long>> rows = new ArrayList<>(t.byClass().entrySet());
        rows.removeIf(e -> e.getValue() == 0);
        rows.sort(Comparator.<Map.Entry<TerminationClass, Long>, Boolean>comparing(e -> !e.getKey().isAbnormal())
                .thenComparing(Map.Entry.comparingByValue(Comparator.reverseOrder())));
        int width = Units.count(rows.stream().mapToLong(Map.Entry::getValue).max().orElse(0)).length();
        out.println();
        out.println("How they ended:");
        for (Map.Entry<TerminationClass, Long> e : rows) {
            out.printf("  %-18s %" + width + "s  %s%n", e.getKey().name(), Units.count(e.getValue()),
                    g.shortText("class", e.getKey().name()));
        }
    }

    /** The most frequent abnormal endings by class and who, each with a connection to show. */
    private static void top(PrintWriter out, AnalysisReport report, EndingTotals t) {
        List<Top> top = new ArrayList<>();
        t.byClassAndBy().forEach((cls, byWho) -> byWho.forEach((by, n) -> {
            if (cls.isAbnormal() && n > 0) {
                top.add(new Top(cls, by, n));
            }
        }));
        if (top.isEmpty()) {
            return;
        }
        top.sort(Comparator.comparingLong(Top::count).reversed().thenComparing(Top::cls));
        List<Top> shown = top.subList(0, Math.min(TOP, top.size()));
        String[] examples = examples(report, shown);
        int width = Units.count(shown.get(0).count()).length();
        out.println();
        out.println("Most frequent abnormal endings:");
        for (int i = 0; i < shown.size(); i++) {
            Top x = shown.get(i);
            String what = x.cls().name() + " by " + x.by().wire();
            String example = examples[i];
            out.printf("  %" + width + "s  %-30s%s%n", Units.count(x.count()), what,
                    example == null ? "" : "  e.g. " + example);
        }
    }

    /**
     * For each ending, the command that shows its first connection (when its capture is a file show can read),
     * or null; by index, not in a map keyed by the ending, whose record hash the JVM first builds through
     * method handles (some twenty classes generated at the end of every run).
     */
    private static String[] examples(AnalysisReport report, List<Top> wanted) {
        String[] found = new String[wanted.size()];
        int left = found.length;
        // the verdicts depend on the threshold: show must judge with the same one
        java.time.Duration threshold = report.settings().idleThreshold();
        String options = threshold.equals(java.time.Duration.ofSeconds(30)) ? ""
                : " --idle-threshold " + Units.threshold(threshold);
        int read = 0;
        for (CaptureReport c : report.captures()) {
            if (c.flows() == null || c.file() == null || !Files.isRegularFile(Path.of(c.file()))) {
                continue;
            }
            for (Flow f : c.flows()) {
                if (left == 0 || ++read > EXAMPLE_SEARCH) {
                    return found;
                }
                for (int i = 0; i < found.length; i++) {
                    Top w = wanted.get(i);
                    if (found[i] == null && f.termination().cls() == w.cls() && f.termination().by() == w.by()) {
                        found[i] = "tcpautopsy show " + quoted(c.file()) + " --stream " + f.stream() + options;
                        left--;
                    }
                }
            }
        }
        return found;
    }

    /** A file name as a shell takes it: quoted when it holds anything but the usual characters. */
    static String quoted(String file) {
        return file.matches("[A-Za-z0-9_./:@%+,=-]+") ? file : "'" + file.replace("'", "'\\''") + "'";
    }
}
