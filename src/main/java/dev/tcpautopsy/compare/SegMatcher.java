package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Finds each segment of a connection at the other point. Copies of one segment (retransmissions, repeated
 * ACKs, keep-alive probes) share their sequence number, length, control flags and acknowledgement, and
 * form a group; a retransmission is its own segment, so within a group:
 * <ol>
 *   <li>a copy whose IP ID, TCP timestamps, SACK blocks and bytes occur once in the group at each point is
 *       the same packet at both ({@link #byFingerprint});</li>
 *   <li>the others are paired in order, as many as can be, each pair's delay closest to the connection's
 *       own delay between the points ({@link #byTime}), the copies a middlebox may have altered included;</li>
 *   <li>a data segment left over whose bytes are those of several left over at the other point was split
 *       or coalesced by segmentation offload, on the way or in a capturing host ({@link #byCoverage}).</li>
 * </ol>
 */
final class SegMatcher {
    /** Above this many copies times copies a group is paired in order without the search. */
    private static final int SEARCH = 40_000;

    private record Key(int dir, int seq, int seqLen, int ctl, int ack) {
    }

    private static final class Group {
        final List<Seg> a = new ArrayList<>(2), b = new ArrayList<>(2);
    }

    private final Twin twin;
    private final Map<Key, Group> groups = new LinkedHashMap<>();

    SegMatcher(Twin twin) {
        this.twin = twin;
        for (int dir = 0; dir < 2; dir++) {
            for (Seg s : twin.atA.get(dir)) {
                groups.computeIfAbsent(key(dir, s.seq, s, s.ack), k -> new Group()).a.add(s);
            }
            for (Seg s : twin.atB.get(dir)) {
                groups.computeIfAbsent(key(dir, twin.seqInA(s, dir), s, twin.ackInA(s, dir)), k -> new Group()).b.add(s);
            }
        }
    }

    private static Key key(int dir, int seq, Seg s, int ack) {
        return new Key(dir, seq, s.seqLen(), s.flags & Seg.CTL, s.has(TcpSegment.ACK) ? ack : 0);
    }

    /** Pass 1: copies that tell themselves apart. */
    void byFingerprint() {
        for (Group g : groups.values()) {
            if (g.a.isEmpty() || g.b.isEmpty()) {
                continue;
            }
            Map<Long, Seg> onlyA = unique(g.a), onlyB = unique(g.b);
            for (Map.Entry<Long, Seg> e : onlyA.entrySet()) {
                Seg b = onlyB.get(e.getKey());
                if (b != null) {
                    e.getValue().twin = b;
                    b.twin = e.getValue();
                }
            }
        }
    }

    /**
     * Pass 2: the copies left, in order, each pair's delay (B's time minus A's) closest to {@code expect[dir]}
     * and within {@code tolerance} of it (nanoseconds; {@link Long#MAX_VALUE}: any).
     */
    void byTime(long[] expect, long tolerance) {
        for (Map.Entry<Key, Group> e : groups.entrySet()) {
            List<Seg> a = left(e.getValue().a), b = left(e.getValue().b);
            if (!a.isEmpty() && !b.isEmpty()) {
                align(a, b, expect[e.getKey().dir()], tolerance);
            }
        }
    }

    /**
     * Pass 3: a data segment left over at one point whose bytes are exactly those of segments left over at
     * the other, near the same time: segmentation offload split it, or receive offload coalesced them. Only
     * segments without a twin count, so the copies that a retransmission collapsed into one stay lost.
     */
    void byCoverage(long[] expect, long tolerance) {
        for (int dir = 0; dir < 2; dir++) {
            NavigableMap<Long, List<Seg>> aByStart = byStart(twin.atA.get(dir), dir, false);
            NavigableMap<Long, List<Seg>> bByStart = byStart(twin.atB.get(dir), dir, true);
            for (Seg w : twin.atA.get(dir)) {
                cover(w, rel(w.seq, dir), bByStart, w.tsNanos + expect[dir], tolerance);
            }
            for (Seg w : twin.atB.get(dir)) {
                cover(w, rel(twin.seqInA(w, dir), dir), aByStart, w.tsNanos - expect[dir], tolerance);
            }
        }
    }

    private static void cover(Seg w, long start, NavigableMap<Long, List<Seg>> other, long when, long tolerance) {
        if (w.twin != null || w.len == 0) {
            return;
        }
        long end = start + w.len, reached = start;
        List<Seg> pieces = new ArrayList<>();
        for (Map.Entry<Long, List<Seg>> e : other.subMap(start, true, end, false).entrySet()) {
            for (Seg p : e.getValue()) {
                if (p.twin == null && p.len < w.len && e.getKey() + p.len <= end
                        && Math.abs(p.tsNanos - when) <= tolerance && e.getKey() <= reached) {
                    reached = Math.max(reached, e.getKey() + p.len);
                    pieces.add(p);
                }
            }
        }
        if (reached >= end && !pieces.isEmpty()) {
            w.covered = true;
            pieces.forEach(p -> p.covered = true);
        }
    }

    /** The delays (B's time minus A's) of the segments of {@code dir} matched so far. */
    List<Long> delays(int dir) {
        List<Long> out = new ArrayList<>();
        for (Seg s : twin.atA.get(dir)) {
            if (s.twin != null) {
                out.add(s.twin.tsNanos - s.tsNanos);
            }
        }
        return out;
    }

    private static Map<Long, Seg> unique(List<Seg> copies) {
        Map<Long, Seg> once = new HashMap<>();
        Map<Long, Integer> count = new HashMap<>();
        for (Seg s : copies) {
            long fp = s.fingerprint();
            if (count.merge(fp, 1, Integer::sum) == 1) {
                once.put(fp, s);
            } else {
                once.remove(fp);
            }
        }
        return once;
    }

    private static List<Seg> left(List<Seg> copies) {
        List<Seg> out = new ArrayList<>(copies.size());
        for (Seg s : copies) {
            if (s.twin == null) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Pairs {@code a[i]} with {@code b[j]} in order: as many pairs as can be, then the smallest total
     * distance of their delays from {@code expect} (a dynamic programme over the two lists).
     */
    static void align(List<Seg> a, List<Seg> b, long expect, long tolerance) {
        int n = a.size(), m = b.size();
        if ((long) n * m > SEARCH) {
            for (int i = 0, j = 0; i < n && j < m; i++, j++) {
                pair(a.get(i), b.get(j));
            }
            return;
        }
        int[][] count = new int[n + 1][m + 1];
        double[][] cost = new double[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int bc = count[i - 1][j];
                double bcost = cost[i - 1][j];
                if (better(count[i][j - 1], cost[i][j - 1], bc, bcost)) {
                    bc = count[i][j - 1];
                    bcost = cost[i][j - 1];
                }
                long off = Math.abs(b.get(j - 1).tsNanos - a.get(i - 1).tsNanos - expect);
                if (off <= tolerance && better(count[i - 1][j - 1] + 1, cost[i - 1][j - 1] + off, bc, bcost)) {
                    bc = count[i - 1][j - 1] + 1;
                    bcost = cost[i - 1][j - 1] + off;
                }
                count[i][j] = bc;
                cost[i][j] = bcost;
            }
        }
        for (int i = n, j = m; i > 0 && j > 0; ) {
            long off = Math.abs(b.get(j - 1).tsNanos - a.get(i - 1).tsNanos - expect);
            if (off <= tolerance && count[i][j] == count[i - 1][j - 1] + 1 && cost[i][j] == cost[i - 1][j - 1] + off) {
                pair(a.get(i - 1), b.get(j - 1));
                i--;
                j--;
            } else if (count[i][j] == count[i - 1][j] && cost[i][j] == cost[i - 1][j]) {
                i--;
            } else {
                j--;
            }
        }
    }

    private static boolean better(int count, double cost, int bestCount, double bestCost) {
        return count > bestCount || (count == bestCount && cost < bestCost);
    }

    private static void pair(Seg a, Seg b) {
        a.twin = b;
        b.twin = a;
    }

    private NavigableMap<Long, List<Seg>> byStart(List<Seg> segs, int dir, boolean atB) {
        NavigableMap<Long, List<Seg>> out = new TreeMap<>();
        for (Seg s : segs) {
            if (s.len > 0) {
                out.computeIfAbsent(rel(atB ? twin.seqInA(s, dir) : s.seq, dir), k -> new ArrayList<>(1)).add(s);
            }
        }
        return out;
    }

    /** Sequence numbers of a direction relative to its ISN at A (or its first segment there), unsigned. */
    private long rel(int seq, int dir) {
        Conn a = twin.a;
        int base = dir == 0 ? (a.clientSyn ? a.clientIsn : first(dir)) : (a.serverSyn ? a.serverIsn : first(dir));
        return (seq - base) & 0xFFFF_FFFFL;
    }

    private int first(int dir) {
        List<Seg> s = twin.atA.get(dir);
        return s.isEmpty() ? (twin.atB.get(dir).isEmpty() ? 0 : twin.seqInA(twin.atB.get(dir).get(0), dir)) : s.get(0).seq;
    }
}
