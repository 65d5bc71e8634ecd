package dev.tcpautopsy.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs each connection of A with its twin at B, whatever NAT or a load balancer did to the addresses
 * and ports: by the handshake's sequence numbers, by the sequence numbers and bytes of the first data
 * segments, and by the bytes alone (for a device that shifts sequence numbers), each looked up in an
 * index of B's connections, never by comparing every pair. Among candidates the strongest evidence wins,
 * then the one closest in time once a first set of sure pairs has given the clocks' offset.
 */
final class ConnMatcher {
    /** Data segments of each direction that go into the indexes. */
    private static final int FIRST_DATA = 3;
    /** Bytes a digest must cover to match on content alone. */
    private static final int CONTENT_BYTES = 16;
    /** A content key shared by more connections than this says nothing (a health check, say). */
    private static final int COMMON = 8;
    /** A pair must overlap in time within this much, once the clocks' offset is known. */
    private static final long SLACK = 60_000_000_000L;

    /** @param candidates pairings weighed: a few per connection of A, whatever the number of connections */
    record Result(List<Twin> twins, List<Conn> onlyA, List<Conn> onlyB, long candidates) {
    }

    private record Hit(Conn conn, int dir, int seq) {
    }

    /** What speaks for pairing one connection of A with one of B. */
    private static final class Candidate {
        final Conn a, b;
        int score;
        int flipVotes, sameVotes;
        final int[] delta = new int[2];
        final boolean[] deltaKnown = new boolean[2];
        long distance;

        Candidate(Conn a, Conn b) {
            this.a = a;
            this.b = b;
        }
    }

    private final Map<Integer, List<Conn>> clientIsn = new HashMap<>();
    private final Map<Integer, List<Conn>> serverIsn = new HashMap<>();
    private final Map<Long, List<Hit>> data = new HashMap<>();
    private final Map<Long, List<Hit>> content = new HashMap<>();

    static Result match(Point a, Point b) {
        ConnMatcher m = new ConnMatcher();
        for (Conn c : b.conns()) {
            m.index(c);
        }
        List<Candidate> all = new ArrayList<>();
        for (Conn c : a.conns()) {
            all.addAll(m.candidates(c));
        }
        long offset = offset(all);
        List<Candidate> kept = new ArrayList<>();
        for (Candidate k : all) {
            long aFirst = k.a.first(), aLast = k.a.last();
            long bFirst = k.b.first() - offset, bLast = k.b.last() - offset;
            if (bFirst > aLast + SLACK || aFirst > bLast + SLACK) {
                continue; // a sequence number that recurs by chance, far apart in time
            }
            k.distance = Math.abs(bFirst - aFirst);
            kept.add(k);
        }
        kept.sort(Comparator.comparingInt((Candidate k) -> -k.score).thenComparingLong(k -> k.distance));
        List<Twin> twins = new ArrayList<>();
        for (Candidate k : kept) {
            if (k.a.paired || k.b.paired) {
                continue;
            }
            k.a.paired = k.b.paired = true;
            twins.add(twin(k));
        }
        twins.sort(Comparator.comparingLong(t -> t.a.view.firstFrame()));
        return new Result(twins, a.conns().stream().filter(c -> !c.paired).toList(),
                b.conns().stream().filter(c -> !c.paired).toList(), all.size());
    }

    private void index(Conn c) {
        if (c.clientSyn) {
            clientIsn.computeIfAbsent(c.clientIsn, k -> new ArrayList<>(1)).add(c);
        }
        if (c.serverSyn) {
            serverIsn.computeIfAbsent(c.serverIsn, k -> new ArrayList<>(1)).add(c);
        }
        for (Seg s : firstData(c)) {
            int dir = s.fromClient ? 0 : 1;
            data.computeIfAbsent(dataKey(s), k -> new ArrayList<>(1)).add(new Hit(c, dir, s.seq));
            if (s.digestLen >= CONTENT_BYTES) {
                content.computeIfAbsent(contentKey(s), k -> new ArrayList<>(1)).add(new Hit(c, dir, s.seq));
            }
        }
    }

    private List<Candidate> candidates(Conn a) {
        Map<Conn, Candidate> found = new HashMap<>();
        if (a.clientSyn) {
            for (Conn b : clientIsn.getOrDefault(a.clientIsn, List.of())) {
                Candidate k = found.computeIfAbsent(b, x -> new Candidate(a, x));
                k.score += 4;
                k.sameVotes++;
            }
        }
        if (a.serverSyn) {
            for (Conn b : serverIsn.getOrDefault(a.serverIsn, List.of())) {
                Candidate k = found.computeIfAbsent(b, x -> new Candidate(a, x));
                k.score += 4;
                k.sameVotes++;
            }
        }
        for (Seg s : firstData(a)) {
            int dir = s.fromClient ? 0 : 1;
            for (Hit h : data.getOrDefault(dataKey(s), List.of())) {
                vote(found.computeIfAbsent(h.conn, x -> new Candidate(a, x)), dir, h, 3, 0);
            }
            List<Hit> same = s.digestLen >= CONTENT_BYTES ? content.get(contentKey(s)) : null;
            if (same != null && same.size() <= COMMON) {
                for (Hit h : same) {
                    vote(found.computeIfAbsent(h.conn, x -> new Candidate(a, x)), dir, h, 2, h.seq - s.seq);
                }
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (Candidate k : found.values()) {
            boolean samePort = k.a.server.port() == (k.flipVotes > k.sameVotes ? k.b.client : k.b.server).port();
            if (k.score >= 4 || (k.score >= 2 && samePort)) {
                k.score += samePort ? 1 : 0;
                out.add(k);
            }
        }
        return out;
    }

    private static void vote(Candidate k, int dir, Hit h, int points, int delta) {
        k.score += points;
        if (h.dir == dir) {
            k.sameVotes++;
        } else {
            k.flipVotes++;
        }
        if (!k.deltaKnown[dir]) {
            k.deltaKnown[dir] = true;
            k.delta[dir] = delta;
        }
    }

    private static Twin twin(Candidate k) {
        boolean flipped = k.flipVotes > k.sameVotes;
        int[] delta = k.delta.clone();
        for (int dir = 0; dir < 2; dir++) {
            boolean aSyn = dir == 0 ? k.a.clientSyn : k.a.serverSyn;
            int aIsn = dir == 0 ? k.a.clientIsn : k.a.serverIsn;
            boolean bClientDir = (dir == 0) != flipped;
            boolean bSyn = bClientDir ? k.b.clientSyn : k.b.serverSyn;
            int bIsn = bClientDir ? k.b.clientIsn : k.b.serverIsn;
            if (aSyn && bSyn) {
                delta[dir] = bIsn - aIsn;
            }
        }
        return new Twin(k.a, k.b, flipped, delta[0], delta[1]);
    }

    /**
     * B's clock minus A's, roughly: the median of the start differences of the pairs that the handshake
     * alone makes sure of (0 when there is none), enough to tell apart connections minutes apart.
     */
    private static long offset(List<Candidate> all) {
        long[] d = all.stream().filter(k -> k.score >= 8).mapToLong(k -> k.b.first() - k.a.first()).toArray();
        if (d.length == 0) {
            return 0;
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private static List<Seg> firstData(Conn c) {
        List<Seg> out = new ArrayList<>();
        int[] n = new int[2];
        int[] lastSeq = new int[2];
        for (Seg s : c.segs) {
            int dir = s.fromClient ? 0 : 1;
            if (s.len == 0 || n[dir] >= FIRST_DATA || (n[dir] > 0 && lastSeq[dir] == s.seq)) {
                continue;
            }
            n[dir]++;
            lastSeq[dir] = s.seq;
            out.add(s);
            if (n[0] >= FIRST_DATA && n[1] >= FIRST_DATA) {
                break;
            }
        }
        return out;
    }

    /** Sequence number and length: 32 random bits of the ISN make them as good as unique. */
    private static long dataKey(Seg s) {
        return (s.seq & 0xFFFF_FFFFL) << 16 ^ s.len;
    }

    /** The bytes alone (the two captures' snapshot lengths must let the digests cover as much). */
    private static long contentKey(Seg s) {
        return (s.digest * 31 + s.len) * 31 + s.digestLen;
    }
}
