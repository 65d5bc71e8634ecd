package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two ladders of a connection side by side: one row a segment, at A, at B or at both, in A's time
 * (B's times moved by the clocks' offset and the time on the way). A long connection keeps the rows near
 * the segments seen at one point only, and its first and last rows; a gap row stands for the others.
 */
final class Ladder {
    static final int MAX_ROWS = 200;
    private static final int AROUND = 4, ENDS = 3;

    private record Row(long at, Comparison.Rung rung) {
    }

    private Ladder() {
    }

    static List<Comparison.Rung> of(List<List<Seg>> atA, List<List<Seg>> atB, Outcome o, long[] expect) {
        Map<Seg, String> status = new IdentityHashMap<>();
        o.lostAtoB.forEach(m -> status.put(m.seg(), "lost"));
        o.lostBtoA.forEach(m -> status.put(m.seg(), "lost"));
        o.appearedAtA.forEach(m -> status.put(m.seg(), "appeared"));
        o.appearedAtB.forEach(m -> status.put(m.seg(), "appeared"));
        long zeroA = first(atA), zeroB = first(atB);
        List<Row> rows = new ArrayList<>();
        for (int dir = 0; dir < 2; dir++) {
            for (Seg s : atA.get(dir)) {
                Seg t = s.twin;
                String st = t != null || s.covered ? "both" : status.getOrDefault(s, "unseen");
                rows.add(new Row(s.tsNanos, new Comparison.Rung(s.frame, time(s, zeroA), t == null ? -1 : t.frame,
                        t == null ? null : time(t, zeroB), dir == 0, what(s, t), st)));
            }
            for (Seg s : atB.get(dir)) {
                if (s.twin != null) {
                    continue;
                }
                String st = s.covered ? "both" : status.getOrDefault(s, "unseen");
                rows.add(new Row(s.tsNanos - expect[dir], new Comparison.Rung(-1, null, s.frame, time(s, zeroB), dir == 0,
                        what(s, null), st)));
            }
        }
        rows.sort(Comparator.comparingLong(Row::at));
        return trim(rows.stream().map(Row::rung).toList());
    }

    private static String what(Seg s, Seg twin) {
        String w = Describe.flags(s.flags) + (s.len > 0 ? " " + s.len : "");
        if (s.covered) {
            return w + " (split or coalesced on the way)";
        }
        return twin != null && twin.window != s.window ? w + " (window " + s.window + " / " + twin.window + ")" : w;
    }

    private static List<Comparison.Rung> trim(List<Comparison.Rung> rows) {
        if (rows.size() <= MAX_ROWS) {
            return rows;
        }
        boolean[] keep = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            if (i < ENDS || i >= rows.size() - ENDS) {
                keep[i] = true;
            }
            if (!rows.get(i).status().equals("both")) {
                for (int k = Math.max(0, i - AROUND); k <= Math.min(rows.size() - 1, i + AROUND); k++) {
                    keep[k] = true;
                }
            }
        }
        List<Comparison.Rung> out = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (keep[i]) {
                if (skipped > 0) {
                    out.add(gap(skipped));
                    skipped = 0;
                }
                out.add(rows.get(i));
            } else {
                skipped++;
            }
            if (out.size() >= MAX_ROWS) {
                out.add(gap(rows.size() - i - 1 + skipped));
                return out;
            }
        }
        if (skipped > 0) {
            out.add(gap(skipped));
        }
        return out;
    }

    private static Comparison.Rung gap(int n) {
        return new Comparison.Rung(-1, null, -1, null, true, n + " segment" + (n == 1 ? "" : "s") + " left out", "gap");
    }

    private static long first(List<List<Seg>> byDir) {
        long f = Long.MAX_VALUE;
        for (List<Seg> l : byDir) {
            if (!l.isEmpty()) {
                f = Math.min(f, l.get(0).tsNanos);
            }
        }
        return f;
    }

    private static String time(Seg s, long zero) {
        return String.format(Locale.ROOT, "%.6f", (s.tsNanos - zero) / 1e9);
    }
}
