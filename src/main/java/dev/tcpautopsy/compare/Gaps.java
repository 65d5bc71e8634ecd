package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.List;

/**
 * Sorts the segments that no match was found for. One that was on its way from its point to the other was
 * lost in between; one that came from the other point's direction but never passed it appeared in between
 * (injected, or rewritten beyond recognition). Neither can be said of a segment the other capture was not
 * running for: it would have passed the other point before that capture began or after it ended (with a
 * margin for the time on the way), and is only counted as unseen.
 */
final class Gaps {
    private final Point a, b;
    private final long margin;

    /** @param margin how far inside the other capture's span a segment must fall to be compared, nanoseconds */
    Gaps(Point a, Point b, long margin) {
        this.a = a;
        this.b = b;
        this.margin = margin;
    }

    /** A connection seen at both points; {@code expect[dir]}: B's time minus A's for its segments. */
    Outcome twin(Twin t, long[] expect) {
        Outcome o = new Outcome();
        for (int dir = 0; dir < 2; dir++) {
            boolean aFirst = t.aFirst(dir);
            Retransmissions ra = new Retransmissions(), rb = new Retransmissions();
            for (Seg s : t.atA.get(dir)) {
                boolean again = ra.seen(s);
                if (s.matched()) {
                    o.matched += s.twin != null ? 1 : 0;
                    sent(o, dir, aFirst, s, false);
                } else if (!b.covers(s.tsNanos + expect[dir], margin)) {
                    o.unseen++;
                } else {
                    (aFirst ? o.lostAtoB : o.appearedAtA).add(new Outcome.Miss(s, true, dir, again));
                    sent(o, dir, aFirst, s, true);
                }
            }
            for (Seg s : t.atB.get(dir)) {
                boolean again = rb.seen(s);
                if (s.matched()) {
                    sent(o, dir, !aFirst, s, false);
                } else if (!a.covers(s.tsNanos - expect[dir], margin)) {
                    o.unseen++;
                } else {
                    (aFirst ? o.appearedAtB : o.lostBtoA).add(new Outcome.Miss(s, false, dir, again));
                    sent(o, dir, !aFirst, s, true);
                }
            }
        }
        return o;
    }

    /**
     * A connection seen at one point only ({@code atA}: at A) whose traffic the other point carries:
     * what went towards the other point was lost, what came from its direction appeared in between.
     *
     * @param clientFirst whether the client's segments pass this connection's point before the other
     */
    Outcome oneSided(Conn c, boolean atA, boolean clientFirst, long expect) {
        Outcome o = new Outcome();
        Point other = atA ? b : a;
        Retransmissions[] r = {new Retransmissions(), new Retransmissions()};
        for (Seg s : c.segs) {
            int dir = s.fromClient ? 0 : 1;
            boolean again = r[dir].seen(s);
            boolean towardsOther = (dir == 0) == clientFirst;
            if (!other.covers(atA ? s.tsNanos + expect : s.tsNanos - expect, margin)) {
                o.unseen++;
            } else if (towardsOther) {
                (atA ? o.lostAtoB : o.lostBtoA).add(new Outcome.Miss(s, atA, dir, again));
                sent(o, dir, true, s, true);
            } else {
                (atA ? o.appearedAtA : o.appearedAtB).add(new Outcome.Miss(s, atA, dir, again));
            }
        }
        return o;
    }

    /** Keeps, per direction, whether the latest segment its sender's side saw go out was lost. */
    private static void sent(Outcome o, int dir, boolean senderSide, Seg s, boolean lost) {
        if (!senderSide) {
            return;
        }
        if (lost && !o.lastLost[dir]) {
            o.lastRunStart[dir] = s.tsNanos;
        }
        o.lastLost[dir] = lost;
        if (!lost) {
            o.lastRunStart[dir] = Long.MAX_VALUE;
        }
    }

    /** Whether a segment repeats sequence space its sender already sent (seen at the same point). */
    static final class Retransmissions {
        private boolean started;
        private int next;

        boolean seen(Seg s) {
            int len = s.seqLen();
            if (len == 0) {
                return false;
            }
            int end = s.seq + len;
            if (!started) {
                started = true;
                next = end;
                return false;
            }
            if (end - next <= 0) {
                return true;
            }
            next = end;
            return false;
        }
    }

    static boolean anyRst(List<Outcome.Miss> misses) {
        return misses.stream().anyMatch(m -> m.seg().has(TcpSegment.RST));
    }
}
