package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.TimerMatch;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.FindingTexts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The "What went wrong" blocks: a capture's findings, each with a link that filters the page's
 * connections table to the connections it explains; the batch's, each with links to the captures' pages.
 */
final class FindingViews {
    private FindingViews() {
    }

    /** A default the timer matches, with the page that documents it. */
    record Source(String name, String seconds, String url) {
    }

    /** A capture page's link to another capture's page. */
    record CaptureLink(String id, String file, String count) {
    }

    /**
     * One finding: {@code streams} (space-separated) are those the link shows; {@code inTable} says how many
     * of them the page's table holds, {@code linkText} what the link says.
     */
    record View(String kind, String title, String count, String fix, List<Source> sources, String streams,
                String linkText, List<CaptureLink> captures) {
        public boolean hasFix() {
            return fix != null;
        }

        public boolean hasSources() {
            return !sources.isEmpty();
        }

        public boolean hasStreams() {
            return !streams.isEmpty();
        }

        public boolean hasCaptures() {
            return !captures.isEmpty();
        }
    }

    /** A capture's findings; {@code inTable} are the streams its connections table shows. */
    static List<View> capture(CaptureReport c, Set<Long> inTable) {
        List<View> out = new ArrayList<>();
        for (Finding f : c.findings()) {
            List<Long> shown = f.streams().stream().filter(inTable::contains).toList();
            String link = shown.isEmpty() ? "its connections are not among those in the table below"
                    : "show " + (shown.size() == f.count() ? (f.count() == 1 ? "the connection" : "the "
                    + Units.count(f.count()) + " connections") : Units.count(shown.size()) + " of its "
                    + Units.count(f.count()) + " connections") + " in the table";
            out.add(new View(f.kind().name(), f.title(), count(f.count()), f.fix(), sources(f.matches()),
                    shown.stream().map(String::valueOf).collect(Collectors.joining(" ")), link, List.of()));
        }
        return out;
    }

    /** The batch's findings, each with the pages of the captures it gathers (those that have one). */
    static List<View> batch(AnalysisReport r, Set<Integer> withPage) {
        List<View> out = new ArrayList<>();
        for (BatchFinding b : r.findings()) {
            List<CaptureLink> links = new ArrayList<>();
            for (BatchFinding.Where w : b.where()) {
                if (withPage.contains(w.capture()) && links.size() < 10) {
                    links.add(new CaptureLink("c" + w.capture(), w.file(), count(w.finding().count())));
                }
            }
            out.add(new View(b.kind().name(), b.title(), count(b.count()), b.where().get(0).finding().fix(),
                    sources(b.matches()), "", "", links));
        }
        return out;
    }

    static String none(CaptureReport c) {
        return FindingTexts.none(c);
    }

    static String none(AnalysisReport r) {
        return FindingTexts.none(r);
    }

    private static String count(long n) {
        return Units.count(n) + (n == 1 ? " connection" : " connections");
    }

    private static List<Source> sources(List<TimerMatch> matches) {
        List<Source> out = new ArrayList<>();
        for (TimerMatch m : matches) {
            out.add(new Source(m.name(), Units.secs(Math.round(m.seconds() * 1e9)), m.source()));
        }
        return out;
    }
}
