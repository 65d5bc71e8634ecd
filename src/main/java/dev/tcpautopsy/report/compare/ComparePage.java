package dev.tcpautopsy.report.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Texts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code compare.html} shows, spelled out for the template: the points, the clocks, one table row a
 * connection (those not identical first, at most {@link #ROWS}), and a card with the two ladders for each
 * connection whose ladder the model kept.
 */
final class ComparePage {
    static final int ROWS = 1000;
    private static final Map<String, Integer> ORDER = Map.of("rst-from-between", 0, "lost-last", 1, "lost-recovered", 2,
            "appeared", 3, "identical", 4, "only-in-a", 5, "only-in-b", 6);
    private static final Map<String, String> LABEL = Map.of("rst-from-between", "RST from in between",
            "lost-last", "last segments lost", "lost-recovered", "lost, recovered", "appeared", "segments appeared",
            "identical", "identical", "only-in-a", "A only", "only-in-b", "B only");

    record Row(String streamA, String streamB, String client, String server, String category, String label,
               int lostAtoB, int lostBtoA, int appearedAtA, int appearedAtB, long matched, String verdict,
               String changes, String card) {
    }

    record Card(String id, String title, String verdict, String reason, List<String> changes, List<Comparison.Rung> rungs,
                String clientSide) {
    }

    final List<Row> rows = new ArrayList<>();
    final List<Card> cards = new ArrayList<>();
    final String clock;
    final long leftOut;

    ComparePage(Comparison c) {
        clock = clock(c.clock());
        List<Row> all = new ArrayList<>();
        int k = 0;
        for (Comparison.Pair p : c.connections()) {
            String id = p.ladder().isEmpty() ? null : "c" + k++;
            all.add(new Row(Long.toString(p.a().stream()), Long.toString(p.b().stream()), p.client().toString(),
                    p.server().toString(), p.category(), LABEL.get(p.category()), p.lostAtoB().size(), p.lostBtoA().size(),
                    p.appearedAtA().size(), p.appearedAtB().size(), p.matched(), verdict(p.termination()),
                    String.join("; ", p.changes().stream().map(Comparison.Change::text).toList()), id));
            if (id != null) {
                cards.add(new Card(id, "A stream " + p.a().stream() + " · B stream " + p.b().stream() + " · "
                        + arrow(p.client(), p.server()), verdict(p.termination()), p.termination().reason(),
                        p.changes().stream().map(Comparison.Change::text).toList(), p.ladder(), side(p.clientSide())));
            }
        }
        k = oneSided(c.onlyInA(), true, all, k);
        oneSided(c.onlyInB(), false, all, k);
        all.sort(Comparator.comparingInt(r -> ORDER.get(r.category())));
        rows.addAll(all.subList(0, Math.min(ROWS, all.size())));
        leftOut = all.size() - rows.size();
    }

    private int oneSided(List<Comparison.OneSided> list, boolean atA, List<Row> all, int k) {
        for (Comparison.OneSided o : list) {
            Comparison.View v = o.view();
            String id = o.ladder().isEmpty() ? null : "c" + k++;
            String category = o.onPath() ? o.category() : atA ? "only-in-a" : "only-in-b";
            String label = o.onPath() ? LABEL.get(category) + (atA ? " (A only)" : " (B only)") : LABEL.get(category);
            all.add(new Row(atA ? Long.toString(v.stream()) : "", atA ? "" : Long.toString(v.stream()),
                    v.client().toString(), v.server().toString(), category, label, atA ? o.lost().size() : 0,
                    atA ? 0 : o.lost().size(), atA ? o.appeared().size() : 0, atA ? 0 : o.appeared().size(), 0,
                    verdict(o.termination()), o.why(), id));
            if (id != null) {
                cards.add(new Card(id, (atA ? "A stream " : "B stream ") + v.stream() + " · seen at " + (atA ? "A" : "B")
                        + " only · " + arrow(v.client(), v.server()), verdict(o.termination()), o.termination().reason(),
                        List.of(o.why()), o.ladder(), ""));
            }
        }
        return k;
    }

    private static String verdict(Comparison.Verdict v) {
        return v.cls().name() + " by " + v.by().wire();
    }

    private static String arrow(Endpoint client, Endpoint server) {
        return client + " → " + server;
    }

    private static String side(String clientSide) {
        return switch (clientSide) {
            case "a" -> "the client is on A's side";
            case "b" -> "the client is on B's side";
            default -> "which side the client is on could not be told; taken as A's";
        };
    }

    private static String clock(Comparison.Clock c) {
        if (!c.known()) {
            return "No segment was seen at both points: the clocks could not be compared.";
        }
        double off = c.offsetSeconds();
        double w = c.oneWaySeconds();
        String way = w < 1e-3 ? String.format(Locale.ROOT, "%.0f µs", w * 1e6) : String.format(Locale.ROOT, "%.3f ms", w * 1e3);
        return String.format(Locale.ROOT, "B's clock is %.6f s %s A's, drifting %+.1f ppm; segments take %s from one "
                        + "point to the other (from %s segments seen at both).", Math.abs(off),
                off >= 0 ? "ahead of" : "behind", c.driftPpm(), way, Units.count(c.samples()));
    }
}
