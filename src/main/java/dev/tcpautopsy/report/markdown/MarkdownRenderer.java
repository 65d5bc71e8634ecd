package dev.tcpautopsy.report.markdown;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Errno;
import dev.tcpautopsy.report.Exemplars;
import dev.tcpautopsy.report.FindingTexts;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;
import dev.tcpautopsy.report.Texts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code summary.md}: a short summary to paste into a ticket comment: what went wrong (the top findings),
 * the headline verdicts with counts, the worst hosts and ports, and three telling connections with their
 * Wireshark filters.
 */
public final class MarkdownRenderer implements ReportRenderer {
    public static final String FILE = "summary.md";
    /** Captures listed in the hosts and ports section before the rest are left to the HTML. */
    static final int MAX_CAPTURES_LISTED = 10;
    static final int TOP = 5;
    static final int EXAMPLES = 3;
    /** Lost requests named at most. */
    private static final int LOST = 10;
    /** Findings listed first; report.json and index.html have them all. */
    static final int FINDINGS = 5;

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public ReportVisitor start(AnalysisReport report, ReportTarget target) {
        Exemplars examples = Exemplars.of(report, EXAMPLES);
        List<Exemplars.Pick> lost = new ArrayList<>();
        return new ReportVisitor() {
            private String file;
            private boolean more = true;

            @Override
            public boolean startCapture(CaptureReport c) {
                file = c.file();
                return true;
            }

            @Override
            public boolean flow(FlowRecord f) {
                if (more) {
                    more = examples.add(file, f);
                }
                if (lost.size() < LOST && lost(f)) {
                    lost.add(new Exemplars.Pick(file, f.flow()));
                }
                // lost requests are few and anywhere: every flow is looked at for them
                return true;
            }

            private static boolean lost(FlowRecord f) {
                for (int i = 0; i < f.tagCount(); i++) {
                    if (f.tag(i) == Tag.REQUEST_LOST) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public void end() throws IOException {
                try (OutputStream out = target.open(FILE);
                     PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                    write(report, examples.picks(), lost, w);
                }
            }
        };
    }

    private static void write(AnalysisReport r, List<Exemplars.Pick> picks, List<Exemplars.Pick> lost, PrintWriter w) {
        EndingTotals t = r.totals();
        w.println("# TCP connection endings");
        w.println();
        findings(r, w);
        w.printf("**%s connections, %s abnormal endings** in %s (idle threshold %s%s).%n",
                Units.count(t.flows()), Units.count(t.abnormal()),
                r.captures().size() == 1 ? "`" + md(r.captures().get(0).file()) + "`"
                        : r.captures().size() + " captures",
                Units.threshold(r.settings().idleThreshold()), r.settings().merged() ? ", merged" : "");
        if (r.settings().filtered()) {
            long[] all = EndingTotals.unfiltered(r.captures());
            w.printf("%n> **Filtered report** (%s): %s of %s connections shown, %s of %s abnormal endings.%n",
                    md(String.join(", ", r.settings().filters())), Units.count(t.flows()), Units.count(all[0]),
                    Units.count(t.abnormal()), Units.count(all[1]));
        }
        for (CaptureReport c : r.captures()) {
            if (c.error() != null) {
                w.printf("%n> **Unreadable:** %s%n", md(c.error().message()));
            }
        }
        w.println();
        w.println("## Verdicts");
        w.println();
        if (t.flows() == 0) {
            w.println("No TCP connections.");
        } else {
            w.println("| ending | connections | by client | by server | by middlebox | unknown |");
            w.println("|---|---:|---:|---:|---:|---:|");
            for (TerminationClass c : TerminationClass.values()) {
                long n = t.byClass().getOrDefault(c, 0L);
                if (n > 0) {
                    w.printf("| `%s` %s | %d | %d | %d | %d | %d |%n", c.name(), c.label(), n,
                            t.count(c, By.CLIENT), t.count(c, By.SERVER), t.count(c, By.MIDDLEBOX), t.count(c, By.UNKNOWN));
                }
            }
        }
        lost(r, lost, w);
        worst(r, w);
        examples(r, picks, w);
        w.println();
        w.printf("_tcpautopsy %s, %s. Every connection: `flows.csv`; details: `index.html`._%n",
                r.toolVersion(), Texts.instant(r.generated()));
    }

    /** The requests that crossed a close (REQUEST_LOST): what each client asked, and who closed under it. */
    private static void lost(AnalysisReport r, List<Exemplars.Pick> lost, PrintWriter w) {
        if (lost.isEmpty()) {
            return;
        }
        w.println();
        w.println("## Lost requests");
        w.println();
        for (Exemplars.Pick p : lost) {
            Flow f = p.flow();
            AppContext.AppMessage req = f.app() == null ? null : f.app().lastRequest();
            w.printf("- `%s` from %s to %s (frame %s%s), stream %d: %s%n", req == null ? "?" : md(req.text()), f.client(),
                    f.server(), req == null ? "?" : Long.toString(req.frame()),
                    r.captures().size() > 1 ? " in `" + md(p.file()) + "`" : "", f.stream(),
                    f.termination().cls().name() + " by " + f.termination().by().wire());
        }
    }

    /** What went wrong, first: the report's top findings, or the line that says there are none. */
    private static void findings(AnalysisReport r, PrintWriter w) {
        List<FindingTexts.Line> top = FindingTexts.top(r, FINDINGS);
        if (top.isEmpty()) {
            w.println("**What went wrong:** " + md(FindingTexts.none(r)));
            w.println();
            return;
        }
        w.println("**What went wrong:**");
        w.println();
        int i = 0;
        for (FindingTexts.Line l : top) {
            w.printf("%d. %s `%s`%n", ++i, md(l.text()), l.kind());
        }
        w.println();
    }

    private static void worst(AnalysisReport r, PrintWriter w) {
        List<CaptureReport> withAbnormal = r.captures().stream().filter(c -> c.abnormal() > 0)
                .sorted(CaptureReport.MOST_ABNORMAL_FIRST).toList();
        if (withAbnormal.isEmpty()) {
            return;
        }
        w.println();
        w.println("## Worst hosts and ports");
        int listed = 0;
        for (CaptureReport c : withAbnormal) {
            if (listed++ == MAX_CAPTURES_LISTED) {
                w.printf("%n…and %d more captures with abnormal endings (see `index.html`).%n",
                        withAbnormal.size() - MAX_CAPTURES_LISTED);
                break;
            }
            EndingSummary s = c.summary();
            w.println();
            if (r.captures().size() > 1) {
                w.printf("`%s`: %d abnormal of %d%n%n", md(c.file()), s.abnormal(), s.flows());
            }
            w.println("- hosts: " + ranked(s.topHosts()));
            w.println("- server ports: " + ranked(s.topPorts()));
        }
    }

    private static String ranked(List<EndingSummary.Ranked> list) {
        if (list.isEmpty()) {
            return "none";
        }
        return list.stream().filter(x -> x.abnormal() > 0).limit(TOP)
                .map(x -> "`" + md(x.key()) + "` " + x.abnormal() + " (" + classes(x.byClass()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String classes(Map<TerminationClass, Long> byClass) {
        StringBuilder sb = new StringBuilder();
        for (TerminationClass c : TerminationClass.values()) {
            Long n = byClass.get(c);
            if (n != null && n > 0 && c.isAbnormal()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(c.name());
            }
        }
        return sb.toString();
    }

    private static void examples(AnalysisReport r, List<Exemplars.Pick> picks, PrintWriter w) {
        if (picks.isEmpty()) {
            return;
        }
        w.println();
        w.println("## Telling connections");
        int i = 0;
        for (Exemplars.Pick p : picks) {
            Flow f = p.flow();
            w.println();
            w.printf("%d. **`%s`** by %s: %s → %s%s, frames %d–%d%n", ++i, f.termination().cls().name(),
                    f.termination().by().wire(), f.client(), f.server(),
                    r.captures().size() > 1 ? " in `" + md(p.file()) + "`" : "", f.firstFrame(), f.lastFrame());
            w.printf("   %s %s%n", Texts.verdict(f), md(f.termination().reason()));
            if (f.termination().appView() != null) {
                w.printf("   Client saw %s; server saw %s.%n", Errno.describe(f.termination().appView().client()),
                        Errno.describe(f.termination().appView().server()));
            }
            if (!f.termination().evidence().isEmpty()) {
                w.printf("   Evidence: %s.%n", f.termination().evidence().stream()
                        .map(e -> "frame " + e.frame() + " (" + md(e.note()) + ")").collect(Collectors.joining("; ")));
            }
            w.printf("   Wireshark: `%s`%n", f.termination().filter());
        }
    }

    /** Keeps text from breaking the Markdown around it: table pipes and backticks. */
    private static String md(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("`", "'").replace("\n", " ");
    }
}
