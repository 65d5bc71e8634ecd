package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.model.Comparison;

import java.time.Instant;
import java.util.List;

/** Turns what the comparison found into the model's records: gaps, categories and the headline. */
final class Models {
    private Models() {
    }

    /**
     * A segment seen at one point only, its numbers relative to the ISNs that point saw.
     *
     * @param c   the connection at the point where it was seen
     * @param own whether {@code m.dir()} is that connection's own direction (false when B names its ends
     *            the other way round from A)
     */
    static Comparison.Gap gap(Outcome.Miss m, Conn c, boolean own) {
        Seg s = m.seg();
        boolean fromClient = (m.dir() == 0) == own;
        boolean synSent = fromClient ? c.clientSyn : c.serverSyn, synBack = fromClient ? c.serverSyn : c.clientSyn;
        int isn = fromClient ? c.clientIsn : c.serverIsn, isnBack = fromClient ? c.serverIsn : c.clientIsn;
        long seq = synSent ? (s.seq - isn) & 0xFFFF_FFFFL : s.seq & 0xFFFF_FFFFL;
        long ack = !s.has(TcpSegment.ACK) ? 0 : synBack ? (s.ack - isnBack) & 0xFFFF_FFFFL : s.ack & 0xFFFF_FFFFL;
        Instant t = Instant.ofEpochSecond(Math.floorDiv(s.tsNanos, 1_000_000_000L), Math.floorMod(s.tsNanos, 1_000_000_000L));
        return new Comparison.Gap(m.atA() ? s.frame : -1, m.atA() ? -1 : s.frame, t, Describe.direction(m.dir()), seq, ack,
                s.len, Describe.flags(s.flags), s.ttl, Describe.what(s, m.retransmission()));
    }

    static List<Comparison.Gap> gaps(List<Outcome.Miss> misses, Conn c, boolean own) {
        return misses.stream().map(m -> gap(m, c, own)).toList();
    }

    /** The bucket of the headline a connection counts in (see {@link Comparison.Summary}). */
    static String category(Outcome o) {
        if (Gaps.anyRst(o.appeared())) {
            return "rst-from-between";
        }
        if (o.lastLost[0] || o.lastLost[1]) {
            return "lost-last";
        }
        if (!o.lost().isEmpty()) {
            return "lost-recovered";
        }
        return o.appeared().isEmpty() ? "identical" : "appeared";
    }

    static Comparison.Summary summary(List<Comparison.Pair> pairs, List<Comparison.OneSided> onlyA,
                                      List<Comparison.OneSided> onlyB) {
        long[] n = new long[5];
        List<String> order = List.of("identical", "rst-from-between", "lost-last", "lost-recovered", "appeared");
        pairs.forEach(p -> n[order.indexOf(p.category())]++);
        long[] offA = new long[1], offB = new long[1], neverB = new long[1], neverA = new long[1];
        count(onlyA, order, n, neverB, offA);
        count(onlyB, order, n, neverA, offB);
        long total = pairs.size() + onlyA.size() + onlyB.size();
        return text(total, n, neverB[0], neverA[0], offA[0], offB[0]);
    }

    /** Connections seen at one point: on the other's path in their bucket ({@code never}), else {@code off}. */
    private static void count(List<Comparison.OneSided> one, List<String> order, long[] n, long[] never, long[] off) {
        for (Comparison.OneSided o : one) {
            if (o.onPath()) {
                n[order.indexOf(o.category())]++;
                never[0]++;
            } else {
                off[0]++;
            }
        }
    }

    private static Comparison.Summary text(long total, long[] n, long neverB, long neverA, long offA, long offB) {
        StringBuilder t = new StringBuilder();
        t.append(n[0]).append(" of ").append(total).append(total == 1 ? " connection" : " connections")
                .append(" identical at both points");
        part(t, n[2], "lost " + (n[2] == 1 ? "its" : "their") + " last segments between them");
        part(t, n[3], "lost segments between them and recovered");
        part(t, n[1], "got a RST from in between");
        part(t, n[4], "had segments appear between them");
        if (neverB + neverA > 0) {
            t.append(" (").append(neverB > 0 ? neverB + " never reached B" : "")
                    .append(neverB > 0 && neverA > 0 ? ", " : "").append(neverA > 0 ? neverA + " never reached A" : "")
                    .append(')');
        }
        part(t, offA, "seen at A only, B not on " + (offA == 1 ? "its" : "their") + " path");
        part(t, offB, "seen at B only, A not on " + (offB == 1 ? "its" : "their") + " path");
        return new Comparison.Summary(total, n[0], n[1], n[2], n[3], n[4], offA, offB, t.toString());
    }

    private static void part(StringBuilder t, long n, String what) {
        if (n > 0) {
            t.append("; ").append(n).append(' ').append(what);
        }
    }
}
