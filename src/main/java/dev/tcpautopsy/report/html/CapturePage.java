package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.LinkTypeCount;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Texts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The page of one capture: facts, charts, rankings, a bounded connections table and a bounded
 * set of detail cards. Built in one pass over the flows that keeps at most {@code rowCap}
 * abnormal plus {@code rowCap} other rows and {@code detailCap} cards per class, so a capture of
 * any size yields a page of bounded size.
 */
record CapturePage(String id, int index, String file, boolean complete, String error, List<Fact> facts,
                   long flows, long abnormal, String abnormalShare, Charts.Chart classChart, Charts.Chart timeline,
                   List<RankRow> topHosts, List<RankRow> topPorts, List<String> classOptions, List<Charts.Legend> classChips,
                   List<FlowViews.Row> rows, String rowNote, List<FlowViews.Detail> details, String detailNote,
                   boolean hasPage, List<FindingViews.View> findings, String noFindings) {

    /** A labelled fact about the capture. */
    record Fact(String label, String value, boolean warn) {
    }

    /** A host or port with its abnormal endings. */
    record RankRow(String key, String flows, String abnormal, String classes, List<Charts.Rect> bar) {
    }

    /** @param hasPage whether the capture gets a section of its own, or only its row in the batch's index */
    static Builder builder(int index, CaptureReport c, int rowCap, int detailCap, boolean hasPage) {
        return new Builder(index, c, rowCap, detailCap, hasPage);
    }

    /**
     * A page being built from the capture's flows, in stream order: it keeps the first rows of each
     * kind and the detail candidates, and says when it has all a whole pass would leave it.
     */
    static final class Builder {
        private final int index, rowCap, detailCap;
        private final CaptureReport c;
        private final boolean hasPage;
        private final List<Flow> abnormalRows = new ArrayList<>(), otherRows = new ArrayList<>();
        private final Map<TerminationClass, List<Flow>> detailByClass = new EnumMap<>(TerminationClass.class);
        private final Map<TerminationClass, List<Flow>> plainByClass = new EnumMap<>(TerminationClass.class);
        /**
         * When the summary counts this very flow set, the flows stop once every list holds what a whole
         * pass would leave in it: a page needs the first flows of each kind, and the other hundreds of
         * thousands took most of the page's time.
         */
        private final boolean counted;

        private Builder(int index, CaptureReport c, int rowCap, int detailCap, boolean hasPage) {
            this.index = index;
            this.c = c;
            this.rowCap = rowCap;
            this.detailCap = detailCap;
            this.hasPage = hasPage;
            EndingSummary s = c.summary();
            counted = s != null && c.flows() != null && s.flows() == c.flows().size();
        }

        /** Whether any flow is wanted at all (a capture without a page opens no flow set: spilled, that is files). */
        boolean wantsFlows() {
            return c.flows() != null && !(counted && complete(c.summary(), abnormalRows, otherRows, rowCap, detailByClass,
                    detailCap));
        }

        /** Takes the next flow; returns whether more are wanted. */
        /** Takes a flow as the page needs it: the model flow is built only for one that it keeps. */
        boolean add(FlowRecord f) {
            boolean bad = f.cls().isAbnormal();
            List<Flow> into = bad ? abnormalRows : otherRows;
            if (into.size() < rowCap) {
                into.add(f.flow());
            }
            if (bad && detailCap > 0) {
                // flows whose details were kept come first; the others fill a class that has too few
                Map<TerminationClass, List<Flow>> m = f.lastPacketCount() == 0 ? plainByClass : detailByClass;
                List<Flow> l = m.computeIfAbsent(f.cls(), k -> new ArrayList<>());
                if (l.size() < detailCap) {
                    l.add(f.flow());
                }
            }
            return !(counted && complete(c.summary(), abnormalRows, otherRows, rowCap, detailByClass, detailCap));
        }

        CapturePage build() {
            String id = "c" + index;
            EndingSummary s = c.summary();
            long total = c.flows() == null ? 0 : c.flows().size();
            long flows = s == null ? total : s.flows();
            long abnormal = c.abnormal();
            plainByClass.forEach((k, plain) -> {
                List<Flow> l = detailByClass.computeIfAbsent(k, x -> new ArrayList<>());
                l.addAll(plain.subList(0, Math.min(plain.size(), detailCap - l.size())));
            });
            List<Flow> details = roundRobin(detailByClass, detailCap);
            Set<String> detailed = details.stream().map(FlowViews::key).collect(Collectors.toSet());

            List<Flow> shown = new ArrayList<>(abnormalRows);
            shown.addAll(otherRows.subList(0, Math.min(otherRows.size(), Math.max(0, rowCap - abnormalRows.size()))));
            shown.sort(Comparator.comparingLong(Flow::stream));
            List<FlowViews.Row> rows = shown.stream().map(f -> FlowViews.row(id, f, detailed.contains(FlowViews.key(f))))
                    .toList();
            String rowNote = shown.size() < total
                    ? "Showing " + Units.count(shown.size()) + " of " + Units.count(total) + " connections: "
                    + (abnormalRows.size() < abnormal ? "the first " + Units.count(abnormalRows.size()) + " abnormal ones"
                    : "every abnormal one, then the first others")
                    + ". flows.csv and report.json have them all."
                    : null;
            String detailNote = details.size() < abnormal
                    ? "Details of " + details.size() + " of " + Units.count(abnormal)
                    + " abnormal connections, spread over their classes. Run 'tcpautopsy show " + c.file()
                    + " --stream N' for any other."
                    : null;

            EndingTotals totals = EndingTotals.of(List.of(c));
            List<String> classOptions = new ArrayList<>();
            List<Charts.Legend> classChips = new ArrayList<>();
            for (TerminationClass k : TerminationClass.values()) {
                long n = totals.byClass().getOrDefault(k, 0L);
                if (n > 0) {
                    classOptions.add(k.name());
                    classChips.add(new Charts.Legend(Palette.of(k), k.name() + " " + Units.count(n)));
                }
            }
            return new CapturePage(id, index, c.file(), c.complete(), c.error() == null ? null : c.error().message(),
                    facts(c), flows, abnormal, flows == 0 ? "0%" : Math.round(100.0 * abnormal / flows) + "%",
                    Charts.byClassAndWho(totals), Charts.timeline(s == null ? null : s.timeline()),
                    ranks(s == null ? List.of() : s.topHosts()), ranks(s == null ? List.of() : s.topPorts()),
                    classOptions, classChips, rows, rowNote, details.stream().map(f -> FlowViews.detail(id, f)).toList(),
                    detailNote, hasPage, FindingViews.capture(c, shown.stream().map(Flow::stream).collect(Collectors.toSet())),
                    FindingViews.none(c));
        }
    }

    /**
     * Whether the rows and the detail candidates are what a pass over every flow would give: as many
     * abnormal and other rows as there are (up to the cap), and for each abnormal class as many flows
     * with kept details as it has (up to the cap), so that no flow without details is needed to fill it.
     */
    private static boolean complete(EndingSummary s, List<Flow> abnormalRows, List<Flow> otherRows, int rowCap,
                                    Map<TerminationClass, List<Flow>> detailed, int detailCap) {
        if (abnormalRows.size() < Math.min(rowCap, s.abnormal()) || otherRows.size() < Math.min(rowCap, s.flows() - s.abnormal())) {
            return false;
        }
        if (detailCap > 0) {
            for (Map.Entry<TerminationClass, Long> e : s.byClass().entrySet()) {
                if (e.getKey().isAbnormal()) {
                    List<Flow> l = detailed.get(e.getKey());
                    if ((l == null ? 0 : l.size()) < Math.min(detailCap, e.getValue())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The first flow of each class, then the second of each, ...: examples of every kind of problem. */
    private static List<Flow> roundRobin(Map<TerminationClass, List<Flow>> byClass, int cap) {
        List<Flow> out = new ArrayList<>();
        for (int round = 0; out.size() < cap; round++) {
            boolean any = false;
            for (List<Flow> l : byClass.values()) {
                if (round < l.size() && out.size() < cap) {
                    out.add(l.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        out.sort(Comparator.comparingLong(Flow::stream));
        return out;
    }

    private static List<RankRow> ranks(List<EndingSummary.Ranked> list) {
        long max = list.stream().mapToLong(EndingSummary.Ranked::abnormal).max().orElse(1);
        List<RankRow> out = new ArrayList<>();
        for (EndingSummary.Ranked r : list) {
            if (r.abnormal() == 0) {
                continue;
            }
            String classes = new TreeMap<>(r.byClass()).entrySet().stream()
                    .filter(e -> e.getKey().isAbnormal() && e.getValue() > 0)
                    .map(e -> e.getValue() + " " + e.getKey().name()).collect(Collectors.joining(", "));
            out.add(new RankRow(r.key(), Units.count(r.flows()), Units.count(r.abnormal()), classes,
                    Charts.miniBar(r.byClass(), max, 120)));
        }
        return out;
    }

    private static List<Fact> facts(CaptureReport c) {
        List<Fact> f = new ArrayList<>();
        f.add(new Fact("Format", (c.format() == null ? "unknown" : c.format()) + (c.compressed() ? " (gzip)" : ""), false));
        f.add(new Fact("Size", Units.bytes(c.bytes()), false));
        f.add(new Fact("Packets", Units.count(c.packets())
                + (c.decoding() == null ? "" : " (" + Units.count(c.decoding().tcpSegments()) + " TCP)"), false));
        if (c.first() != null && c.last() != null) {
            f.add(new Fact("Time span", Texts.instant(c.first()) + " → " + Texts.instant(c.last()) + " ("
                    + Units.duration(Texts.seconds(c.first(), c.last())) + ")", false));
        }
        if (!c.linkTypes().isEmpty()) {
            f.add(new Fact("Link types", c.linkTypes().stream().map(CapturePage::linkType)
                    .collect(Collectors.joining(", ")), c.linkTypes().stream().anyMatch(l -> "none".equals(l.decoder()))));
        }
        if (c.vantage() != null) {
            f.add(new Fact("Vantage", c.vantage(), false));
        }
        if (c.decoding() != null) {
            f.add(new Fact("IP", Units.count(c.decoding().ipv4()) + " IPv4, " + Units.count(c.decoding().ipv6())
                    + " IPv6" + (c.decoding().fragments() > 0 ? ", " + Units.count(c.decoding().fragments()) + " fragments" : ""), false));
            if (!c.decoding().otherProtocols().isEmpty()) {
                f.add(new Fact("Not TCP", counts(c.decoding().otherProtocols()), false));
            }
            if (!c.decoding().tunnels().isEmpty()) {
                f.add(new Fact("Tunnels", counts(c.decoding().tunnels()), false));
            }
            f.add(new Fact("Anomalies", c.decoding().anomalies().isEmpty() ? "none" : counts(c.decoding().anomalies()),
                    !c.decoding().anomalies().isEmpty()));
        }
        f.add(new Fact("Unreadable", c.error() == null ? "none: read to the end" : c.error().message(), c.error() != null));
        return f;
    }

    private static String linkType(LinkTypeCount l) {
        return l.name() + " (" + l.linkType() + "): " + Units.count(l.packets())
                + ("native".equals(l.decoder()) ? "" : ", decoder " + l.decoder());
    }

    private static String counts(Map<String, Long> m) {
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + " " + Units.count(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
