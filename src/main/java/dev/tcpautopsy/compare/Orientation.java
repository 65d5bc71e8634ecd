package dev.tcpautopsy.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which point each end of a connection is on: a router between the points lowers the TTL / hop limit of
 * what passes it, so the point that sees a segment's higher TTL saw it first; without a router between
 * them, the direction whose segments take longer from A to B (B's time minus A's) is the one going from A
 * to B. A connection that shows neither follows the other connections of its hosts.
 */
final class Orientation {
    private Orientation() {
    }

    /** Judges each twin from its own matched segments, then the undecided ones from their hosts. */
    static void judge(List<Twin> twins) {
        for (Twin t : twins) {
            t.clientSide = own(t);
        }
        Map<Addr, Integer> hostVotes = hostSides(twins);
        for (Twin t : twins) {
            if (t.clientSide == Twin.Side.UNKNOWN) {
                int v = hostVotes.getOrDefault(host(t.a.client), 0) - hostVotes.getOrDefault(host(t.a.server), 0);
                t.clientSide = v > 0 ? Twin.Side.A : v < 0 ? Twin.Side.B : Twin.Side.UNKNOWN;
            }
        }
    }

    /** The side of A's hosts as the twins showed it: +1 on A's side, -1 on B's. */
    static Map<Addr, Integer> hostSides(List<Twin> twins) {
        Map<Addr, Integer> sides = new HashMap<>();
        for (Twin t : twins) {
            if (t.clientSide != Twin.Side.UNKNOWN) {
                int v = t.clientSide == Twin.Side.A ? 1 : -1;
                sides.merge(host(t.a.client), v, Integer::sum);
                sides.merge(host(t.a.server), -v, Integer::sum);
            }
        }
        return sides;
    }

    static Addr host(Addr a) {
        return new Addr(a.hi(), a.lo(), 0);
    }

    private static Twin.Side own(Twin t) {
        int votes = 0;
        for (int dir = 0; dir < 2; dir++) {
            for (Seg s : t.atA.get(dir)) {
                if (s.twin == null || s.ttl == s.twin.ttl) {
                    continue;
                }
                boolean aFirst = s.ttl > s.twin.ttl;
                // client to server passing A first, or server to client passing B first: client on A's side
                votes += (dir == 0) == aFirst ? 1 : -1;
            }
        }
        if (votes != 0) {
            return votes > 0 ? Twin.Side.A : Twin.Side.B;
        }
        Long c2s = median(t, 0), s2c = median(t, 1);
        if (c2s == null || s2c == null || c2s.equals(s2c)) {
            return Twin.Side.UNKNOWN;
        }
        return c2s > s2c ? Twin.Side.A : Twin.Side.B;
    }

    private static Long median(Twin t, int dir) {
        List<Long> d = new ArrayList<>();
        for (Seg s : t.atA.get(dir)) {
            if (s.twin != null) {
                d.add(s.twin.tsNanos - s.tsNanos);
            }
        }
        if (d.isEmpty()) {
            return null;
        }
        Collections.sort(d);
        return d.get(d.size() / 2);
    }
}
