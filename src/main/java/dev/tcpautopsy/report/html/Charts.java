package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Texts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Geometry of the inline SVG charts, computed from the model's aggregates: the template only
 * places the rectangles. Coordinates are formatted here so that the template stays logic-free.
 */
final class Charts {
    static final int CLASS_CHART_WIDTH = 560;
    static final int LABEL_WIDTH = 190;
    static final int ROW = 24;
    static final int TIMELINE_WIDTH = 560;
    static final int TIMELINE_HEIGHT = 150;

    /** A rectangle with its fill and tooltip. */
    record Rect(String x, String y, String w, String h, String fill, String title) {
    }

    /** A text label at a position. */
    record Label(String x, String y, String text, String anchor) {
    }

    /** A chart: its size, rectangles and labels, and a legend. */
    record Chart(int width, int height, List<Rect> rects, List<Label> labels, List<Legend> legend, String caption) {
        public boolean empty() {
            return rects.isEmpty();
        }
    }

    /** A legend entry. */
    record Legend(String color, String text) {
    }

    private Charts() {
    }

    /** One bar per class present, split by who ended the connections. */
    static Chart byClassAndWho(EndingTotals t) {
        List<Rect> rects = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        long max = 0;
        for (TerminationClass c : TerminationClass.values()) {
            max = Math.max(max, t.byClass().getOrDefault(c, 0L));
        }
        int y = 4;
        double span = CLASS_CHART_WIDTH - LABEL_WIDTH - 60;
        for (TerminationClass c : TerminationClass.values()) {
            long n = t.byClass().getOrDefault(c, 0L);
            if (n == 0) {
                continue;
            }
            rects.add(new Rect("0", f(y + 4), "10", "10", Palette.of(c), c.name()));
            labels.add(new Label("16", f(y + 13), c.name(), "start"));
            double x = LABEL_WIDTH;
            for (By b : By.values()) {
                long k = t.count(c, b);
                if (k == 0) {
                    continue;
                }
                double w = Math.max(1.5, span * k / max);
                rects.add(new Rect(f(x), f(y + 2), f(w), "16", Palette.of(b),
                        c.name() + " by " + b.wire() + ": " + k));
                x += w;
            }
            labels.add(new Label(f(x + 6), f(y + 14), Units.count(n), "start"));
            y += ROW;
        }
        List<Legend> legend = new ArrayList<>();
        for (By b : By.values()) {
            legend.add(new Legend(Palette.of(b), "by " + b.wire()));
        }
        return new Chart(CLASS_CHART_WIDTH, y + 4, rects, labels, legend, "Connections by ending, split by who ended them");
    }

    /** Endings over time: one stacked column per bucket, coloured by class. */
    static Chart timeline(EndingSummary.Timeline tl) {
        List<Rect> rects = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        List<Legend> legend = new ArrayList<>();
        if (tl == null || tl.buckets().isEmpty() || tl.start() == null) {
            return new Chart(TIMELINE_WIDTH, TIMELINE_HEIGHT, rects, labels, legend, "Endings over time");
        }
        long max = 1;
        boolean[] used = new boolean[TerminationClass.values().length];
        for (Map<TerminationClass, Long> b : tl.buckets()) {
            long sum = 0;
            for (Map.Entry<TerminationClass, Long> e : b.entrySet()) {
                sum += e.getValue();
                if (e.getValue() > 0) {
                    used[e.getKey().ordinal()] = true;
                }
            }
            max = Math.max(max, sum);
        }
        int left = 40, bottom = TIMELINE_HEIGHT - 22, top = 8;
        double plot = TIMELINE_WIDTH - left - 8;
        double colW = plot / tl.buckets().size();
        double gap = colW > 4 ? 1 : 0;
        for (int i = 0; i < tl.buckets().size(); i++) {
            Map<TerminationClass, Long> b = tl.buckets().get(i);
            double y = bottom;
            Instant from = tl.start().plusMillis(i * tl.bucketMillis());
            for (TerminationClass c : TerminationClass.values()) {
                long n = b.getOrDefault(c, 0L);
                if (n == 0) {
                    continue;
                }
                double h = (bottom - top) * (double) n / max;
                y -= h;
                rects.add(new Rect(f(left + i * colW), f(y), f(Math.max(0.8, colW - gap)), f(h), Palette.of(c),
                        Texts.instant(from) + " +" + Units.duration(tl.bucketMillis() / 1000.0) + ": " + n + " " + c.name()));
            }
        }
        labels.add(new Label(f(left - 4), f(top + 8), Units.count(max), "end"));
        labels.add(new Label(f(left - 4), f(bottom), "0", "end"));
        labels.add(new Label(f(left), f(bottom + 16), clock(tl.start()), "start"));
        Instant end = tl.start().plusMillis(tl.buckets().size() * tl.bucketMillis());
        labels.add(new Label(f(TIMELINE_WIDTH - 8), f(bottom + 16), clock(end), "end"));
        labels.add(new Label(f(left + plot / 2), f(bottom + 16),
                "bucket " + Units.duration(tl.bucketMillis() / 1000.0), "middle"));
        for (TerminationClass c : TerminationClass.values()) {
            if (used[c.ordinal()]) {
                legend.add(new Legend(Palette.of(c), c.name()));
            }
        }
        return new Chart(TIMELINE_WIDTH, TIMELINE_HEIGHT, rects, labels, legend,
                "Endings over time (UTC), by the time of each connection's last packet");
    }

    /** A small stacked bar of abnormal class counts for a host or port row, scaled to {@code max}. */
    static List<Rect> miniBar(Map<TerminationClass, Long> byClass, long max, int width) {
        List<Rect> rects = new ArrayList<>();
        double x = 0;
        for (TerminationClass c : TerminationClass.values()) {
            long n = byClass.getOrDefault(c, 0L);
            if (n == 0 || !c.isAbnormal()) {
                continue;
            }
            double w = Math.max(1, width * (double) n / Math.max(1, max));
            rects.add(new Rect(f(x), "0", f(w), "12", Palette.of(c), n + " " + c.name()));
            x += w;
        }
        return rects;
    }

    private static String clock(Instant t) {
        return Texts.instant(t).substring(0, 19).replace('T', ' ');
    }

    static String f(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return Units.fixed(v, 1);
    }
}
