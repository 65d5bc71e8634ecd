package dev.tcpautopsy.compare;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the other point carries a connection that only one point saw: it does when, while the
 * connection lasted, the other capture was running and other connections between the same two hosts
 * passed both points, one host on each side. Then what this connection sent towards the other point was
 * lost in between, and what it received from that direction appeared in between.
 */
final class OnPath {
    /** Per host (as A names it, and as B names it): +1 on A's side, -1 on B's, summed over the twins. */
    private final Map<Addr, Integer> sidesAtA, sidesAtB = new HashMap<>();

    OnPath(List<Twin> twins) {
        sidesAtA = Orientation.hostSides(twins);
        for (Twin t : twins) {
            if (t.clientSide == Twin.Side.UNKNOWN) {
                continue;
            }
            int v = t.clientSide == Twin.Side.A ? 1 : -1;
            sidesAtB.merge(Orientation.host(t.flipped ? t.b.server : t.b.client), v, Integer::sum);
            sidesAtB.merge(Orientation.host(t.flipped ? t.b.client : t.b.server), -v, Integer::sum);
        }
    }

    /** The verdict on a connection seen at {@code atA ? A : B} only. */
    record Placement(boolean onPath, boolean clientFirst, String why) {
    }

    Placement place(Conn c, boolean atA, Point other, long offset) {
        Map<Addr, Integer> sides = atA ? sidesAtA : sidesAtB;
        int client = Integer.signum(sides.getOrDefault(Orientation.host(c.client), 0));
        int server = Integer.signum(sides.getOrDefault(Orientation.host(c.server), 0));
        int here = atA ? 1 : -1;
        String otherName = atA ? "B" : "A";
        boolean clientNear = client == here || server == -here;
        boolean known = client == here && server == -here || client == -here && server == here;
        if (!known) {
            return new Placement(false, clientNear, "no connection between these two hosts passed both points, so "
                    + otherName + " may not be on its path");
        }
        long first = atA ? c.first() + offset : c.first() - offset;
        long last = atA ? c.last() + offset : c.last() - offset;
        if (last < other.first() || first > other.last()) {
            return new Placement(false, clientNear, "it lasted while " + otherName + "'s capture was not running");
        }
        return new Placement(true, clientNear, otherName + " never saw it, though other connections between these hosts "
                + "passed both points");
    }
}
