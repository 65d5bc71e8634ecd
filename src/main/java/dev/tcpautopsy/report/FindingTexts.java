package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * The "what went wrong" lines every format shows first: a report's top findings (its captures' together
 * when there are several, the capture's own when one), or the one line that says there is nothing to find.
 */
public final class FindingTexts {
    private FindingTexts() {
    }

    /** One finding as a line: its title and the connections it explains. */
    public record Line(String kind, String title, long count) {
        /** {@code title (N connections)}. */
        public String text() {
            return title + " (" + Units.count(count) + (count == 1 ? " connection)" : " connections)");
        }
    }

    /** The first {@code n} findings of the report. */
    public static List<Line> top(AnalysisReport r, int n) {
        List<Line> out = new ArrayList<>();
        if (r.captures().size() > 1) {
            for (BatchFinding b : r.findings()) {
                if (out.size() == n) {
                    break;
                }
                out.add(new Line(b.kind().name(), b.title(), b.count()));
            }
        } else if (r.captures().size() == 1) {
            out.addAll(top(r.captures().get(0), n));
        }
        return out;
    }

    /** The first {@code n} findings of one capture. */
    public static List<Line> top(CaptureReport c, int n) {
        List<Line> out = new ArrayList<>();
        for (Finding f : c.findings()) {
            if (out.size() == n) {
                break;
            }
            out.add(new Line(f.kind().name(), f.title(), f.count()));
        }
        return out;
    }

    /** The line for a report without findings. */
    public static String none(AnalysisReport r) {
        return none(r.totals());
    }

    /** The line for a capture without findings. */
    public static String none(CaptureReport c) {
        return none(EndingTotals.of(List.of(c)));
    }

    private static String none(EndingTotals t) {
        if (t.flows() == 0) {
            return "Nothing to find: no TCP connections.";
        }
        if (t.abnormal() == 0) {
            return "Nothing abnormal: " + (t.flows() == 1 ? "the connection" : "all " + Units.count(t.flows())
                    + " connections") + " ended normally or were still open.";
        }
        return "No pattern across connections: " + (t.abnormal() == 1 ? "the one abnormal ending stands"
                : "the " + Units.count(t.abnormal()) + " abnormal endings stand") + " alone (no shared timer, device,"
                + " endpoint or event); see each connection's verdict.";
    }
}
