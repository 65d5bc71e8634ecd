package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.BatchFinding;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The findings of a batch: the captures' findings, those about the same thing gathered into one. The same
 * thing is a timer of the same side within 10 % (the same default on every host of a fleet), a device with
 * the same fingerprint, or the same endpoint (or host) for the other kinds. Made once, from the captures'
 * findings (a bounded number each), not from their flows.
 */
public final class BatchFindings {
    /** Findings a batch reports at most. */
    public static final int MAX = 50;

    private BatchFindings() {
    }

    /** The batch's findings, most connections first; none for fewer than two captures. */
    public static List<BatchFinding> of(List<CaptureReport> captures) {
        if (captures.size() < 2) {
            return List.of();
        }
        List<BatchFinding.Where> all = new ArrayList<>();
        for (int i = 0; i < captures.size(); i++) {
            for (Finding f : captures.get(i).findings()) {
                all.add(new BatchFinding.Where(i, captures.get(i).file(), f));
            }
        }
        List<List<BatchFinding.Where>> groups = new ArrayList<>(timers(all));
        Map<String, List<BatchFinding.Where>> byKey = new LinkedHashMap<>();
        for (BatchFinding.Where w : all) {
            if (w.finding().kind() != FindingKind.IDLE_TIMEOUT_SETTING) {
                byKey.computeIfAbsent(key(w.finding()), k -> new ArrayList<>()).add(w);
            }
        }
        groups.addAll(byKey.values());
        List<BatchFinding> out = new ArrayList<>();
        for (List<BatchFinding.Where> g : groups) {
            out.add(batch(g));
        }
        out.sort(Comparator.comparingLong(BatchFinding::count).reversed().thenComparing(BatchFinding::kind)
                .thenComparing(BatchFinding::title));
        return List.copyOf(out.subList(0, Math.min(MAX, out.size())));
    }

    /** Timers of one side whose seconds lie within 10 % of the group's shortest. */
    private static List<List<BatchFinding.Where>> timers(List<BatchFinding.Where> all) {
        List<BatchFinding.Where> t = new ArrayList<>();
        for (BatchFinding.Where w : all) {
            if (w.finding().kind() == FindingKind.IDLE_TIMEOUT_SETTING && w.finding().seconds() != null) {
                t.add(w);
            }
        }
        t.sort(Comparator.comparing((BatchFinding.Where w) -> String.valueOf(w.finding().side()))
                .thenComparing(w -> w.finding().seconds()));
        List<List<BatchFinding.Where>> out = new ArrayList<>();
        List<BatchFinding.Where> cur = null;
        for (BatchFinding.Where w : t) {
            BatchFinding.Where first = cur == null ? null : cur.get(0);
            if (first == null || !Objects.equals(first.finding().side(), w.finding().side())
                    || w.finding().seconds() > first.finding().seconds() * 1.1) {
                cur = new ArrayList<>();
                out.add(cur);
            }
            cur.add(w);
        }
        return out;
    }

    private static String key(Finding f) {
        if (f.kind() == FindingKind.INJECTED_RST) {
            return f.kind() + " " + f.more().get("ttl") + " " + f.more().get("ipId");
        }
        return f.kind() + " " + f.endpoint() + " " + f.side() + " " + f.more().get("peer");
    }

    private static BatchFinding batch(List<BatchFinding.Where> g) {
        g.sort(Comparator.comparingLong((BatchFinding.Where w) -> w.finding().count()).reversed());
        Finding top = g.get(0).finding();
        long count = 0;
        long captures = g.stream().mapToInt(BatchFinding.Where::capture).distinct().count();
        Double seconds = null;
        for (BatchFinding.Where w : g) {
            count += w.finding().count();
            if (w.finding().seconds() != null && (seconds == null || w.finding().seconds() < seconds)) {
                seconds = w.finding().seconds();
            }
        }
        String title;
        if (captures == 1) {
            title = top.title() + " (in " + g.get(0).file() + ")";
        } else if (top.kind() == FindingKind.IDLE_TIMEOUT_SETTING) {
            title = timerTitle(g, captures, seconds) + matchNote(top);
        } else {
            // the count in all is the finding's count, which every line that shows a finding adds
            title = top.title() + "; the same in " + (captures - 1) + (captures == 2 ? " other capture" : " other captures");
        }
        return new BatchFinding(top.kind(), title, count, top.side(), seconds, top.matches(), g);
    }

    private static String timerTitle(List<BatchFinding.Where> g, long captures, Double seconds) {
        long endpoints = g.stream().map(w -> w.finding().endpoint() + " " + w.finding().more().get("peer")).distinct()
                .count();
        String secs = Units.secs(Math.round(seconds * 1e9));
        String side = g.get(0).finding().side();
        List<String> names = g.stream().map(w -> name(w.finding().endpoint())).distinct().toList();
        String named = " (" + String.join(", ", names.subList(0, Math.min(3, names.size())))
                + (names.size() > 3 ? ", ..." : "") + ")";
        String who = switch (String.valueOf(side)) {
            case "client" -> endpoints + (endpoints == 1 ? " client" : " clients") + named
                    + (endpoints == 1 ? " closes its" : " close their") + " connections";
            case "middlebox" -> "Devices on the paths to " + endpoints + " servers" + named + " reset connections";
            default -> endpoints + (endpoints == 1 ? " server" : " servers") + named
                    + (endpoints == 1 ? " closes" : " close") + " connections";
        };
        return who + " idle for " + secs + " in " + captures + " captures";
    }

    /** An endpoint as titles spell it: a host (port 0) by its address alone. */
    private static String name(Endpoint e) {
        return e == null ? "?" : e.port() == 0 ? e.ip() : e.toString();
    }

    private static String matchNote(Finding top) {
        return Findings.matchNote(top.matches());
    }
}
