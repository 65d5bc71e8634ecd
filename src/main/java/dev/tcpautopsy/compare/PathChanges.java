package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What changed between the points in the segments seen at both: addresses and ports (NAT, a load
 * balancer), sequence numbers shifted, the MSS clamped, options removed from a SYN, windows rewritten,
 * and the TTL / hop limit, whose usual fall by the routers in between is kept as a number, not a change.
 */
final class PathChanges {
    final List<Comparison.Change> changes = new ArrayList<>();
    /** How much the TTL fell from A to B and from B to A (the most frequent fall), -1 when unknown. */
    int hopsAtoB = -1, hopsBtoA = -1;

    PathChanges(Twin t) {
        endpoints(t);
        for (int dir = 0; dir < 2; dir++) {
            int delta = dir == 0 ? t.deltaC2S : t.deltaS2C;
            if (delta != 0) {
                changes.add(new Comparison.Change("seq-shift", "the " + Describe.sender(dir)
                        + "'s sequence numbers are shifted by " + (delta & 0xFFFF_FFFFL) + " (mod 2^32) at B"));
            }
            compare(t, dir);
        }
    }

    private void endpoints(Twin t) {
        Endpoint bClient = t.flipped ? t.b.view.server() : t.b.view.client();
        Endpoint bServer = t.flipped ? t.b.view.client() : t.b.view.server();
        if (!t.a.view.client().equals(bClient)) {
            changes.add(new Comparison.Change("client-translated", "the client is " + t.a.view.client() + " at A and "
                    + bClient + " at B"));
        }
        if (!t.a.view.server().equals(bServer)) {
            changes.add(new Comparison.Change("server-translated", "the server is " + t.a.view.server() + " at A and "
                    + bServer + " at B"));
        }
    }

    private void compare(Twin t, int dir) {
        boolean aFirst = t.aFirst(dir);
        TreeMap<Integer, Integer> falls = new TreeMap<>();
        int windows = 0;
        String windowExample = null;
        for (Seg s : t.atA.get(dir)) {
            Seg o = s.twin;
            if (o == null) {
                continue;
            }
            Seg up = aFirst ? s : o, down = aFirst ? o : s;
            falls.merge(up.ttl - down.ttl, 1, Integer::sum);
            if (s.window != o.window) {
                windows++;
                windowExample = windowExample != null ? windowExample : s.window + " at A, " + o.window + " at B";
            }
            if (s.has(TcpSegment.SYN)) {
                syn(dir, up, down, aFirst);
            }
        }
        if (falls.isEmpty()) {
            return;
        }
        int usual = falls.entrySet().stream().max((x, y) -> Integer.compare(x.getValue(), y.getValue())).get().getKey();
        if (aFirst) {
            hopsAtoB = Math.max(usual, -1);
        } else {
            hopsBtoA = Math.max(usual, -1);
        }
        String who = "the " + Describe.sender(dir) + "'s";
        if (falls.size() > 1) {
            changes.add(new Comparison.Change("ttl", who + " TTL fell by " + falls.firstKey() + " to " + falls.lastKey()
                    + " between the points (the route changed, or a device rewrote it)"));
        } else if (usual < 0) {
            changes.add(new Comparison.Change("ttl", who + " TTL rose by " + -usual + " on the way: a device rewrote it"));
        }
        if (windows > 0) {
            changes.add(new Comparison.Change("window", who + " window field differs in " + windows + " segment"
                    + (windows == 1 ? "" : "s") + " (" + windowExample + ")"));
        }
    }

    private void syn(int dir, Seg up, Seg down, boolean aFirst) {
        String what = "the " + Describe.sender(dir) + "'s " + (dir == 0 ? "SYN" : "SYN-ACK");
        String upAt = aFirst ? "A" : "B", downAt = aFirst ? "B" : "A";
        if (up.mss != down.mss) {
            changes.add(new Comparison.Change("mss", what + " carried MSS " + opt(up.mss) + " at " + upAt + " and "
                    + opt(down.mss) + " at " + downAt + (down.mss >= 0 && down.mss < up.mss ? " (clamped)" : "")));
        }
        List<String> removed = new ArrayList<>();
        if (up.sackPermitted && !down.sackPermitted) {
            removed.add("SACK permitted");
        }
        if (up.windowScale >= 0 && down.windowScale < 0) {
            removed.add("window scale");
        }
        if (up.hasTimestamps && !down.hasTimestamps) {
            removed.add("timestamps");
        }
        if (!removed.isEmpty()) {
            changes.add(new Comparison.Change("options-removed", what + " lost its " + String.join(", ", removed)
                    + " option" + (removed.size() == 1 ? "" : "s") + " between " + upAt + " and " + downAt));
        } else if (up.windowScale != down.windowScale) {
            changes.add(new Comparison.Change("window-scale", what + " carried window scale " + opt(up.windowScale)
                    + " at " + upAt + " and " + opt(down.windowScale) + " at " + downAt));
        }
    }

    private static String opt(int v) {
        return v < 0 ? "none" : Integer.toString(v);
    }
}
