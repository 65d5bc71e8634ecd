package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's first pair, altered as real captures are: B's clock seconds off and drifting, A cut into two
 * files, segments coalesced by receive offload in a capturing host. What the comparison lists must not move.
 */
class TwoCapturesTest {
    private static final long SECOND = 1_000_000_000L;

    private static PairTruth faults() throws IOException {
        return PairTruth.read(LabPairsTest.truths().stream()
                .filter(p -> p.getFileName().toString().startsWith("faults")).findFirst().orElseThrow());
    }

    @Test
    void aClockSecondsOffAndDriftingIsMeasuredAndChangesNothing(@TempDir Path dir) throws IOException {
        PairTruth t = faults();
        List<Rewrite.Rec> b = Rewrite.read(t.b());
        long t0 = b.get(0).ts();
        List<Rewrite.Rec> shifted = new ArrayList<>();
        for (Rewrite.Rec r : b) {
            long ts = r.ts() + 3_250_000_000L + Math.round((r.ts() - t0) * 500e-6);
            shifted.add(new Rewrite.Rec(r.frame(), ts, r.data(), r.wireLen()));
        }
        Path b2 = dir.resolve("b.pcap");
        Rewrite.write(shifted, b2);
        Comparison c = Compared.compare(List.of(t.a()), List.of(b2), t.idle());
        Set<String> got = Compared.listed(c);
        assertTrue(got.equals(t.segments()), Compared.diff(t.segments(), got));
        Comparison plain = Compared.compare(List.of(t.a()), List.of(t.b()), t.idle());
        // the offset at A's first matched segment: the lab's clocks are one, so 3.25 s plus the drift until then
        assertEquals(plain.clock().offsetSeconds() + 3.25, c.clock().offsetSeconds(), 0.002);
        assertEquals(500, c.clock().driftPpm() - plain.clock().driftPpm(), 25);
    }

    @Test
    void onePointInTwoFilesIsReadAsOneCapture(@TempDir Path dir) throws IOException {
        PairTruth t = faults();
        List<Rewrite.Rec> a = Rewrite.read(t.a());
        Path a1 = dir.resolve("a1.pcap"), a2 = dir.resolve("a2.pcap");
        Rewrite.write(a.subList(0, a.size() / 2), a1);
        Rewrite.write(a.subList(a.size() / 2, a.size()), a2);
        Comparison c = Compared.compare(List.of(a2, a1), List.of(t.b()), t.idle());
        Set<String> got = Compared.listed(c);
        assertTrue(got.equals(t.segments()), Compared.diff(t.segments(), got));
        Comparison whole = Compared.compare(List.of(t.a()), List.of(t.b()), t.idle());
        assertEquals(whole.connections().stream().map(p -> p.a().stream()).toList(),
                c.connections().stream().map(p -> p.a().stream()).toList());
        assertEquals(whole.a().packets(), c.a().packets());
    }

    @Test
    void mergedFrameNumbersPutTheEarlierFileFirstOnATie() {
        long[][] frames = PointReader.merge(new long[][] {{5, 7, 9}, {1, 7, 10}});
        assertEquals(List.of(2L, 3L, 5L), List.of(frames[0][0], frames[0][1], frames[0][2]));
        assertEquals(List.of(1L, 4L, 6L), List.of(frames[1][0], frames[1][1], frames[1][2]));
    }

    /**
     * Receive offload at either capturing host hands two data segments over as one: the bytes are all there
     * at the other point, so nothing was lost and nothing appeared.
     */
    @Test
    void segmentsCoalescedAtOnePointAreNeitherLostNorAppeared(@TempDir Path tmp) throws IOException {
        Path dir = System.getProperty("compare.keep") != null ? Path.of(System.getProperty("compare.keep")) : tmp;
        PairTruth t = faults();
        Set<Long> lostFromB = frames(t.segments(), "lostBtoA");
        List<Rewrite.Rec> b = Rewrite.read(t.b());
        // at B in one connection, at A in another: else both points hold the same wider segment
        int[] atB = coalescible(b, lostFromB, 8108);
        List<Rewrite.Rec> a = Rewrite.read(t.a());
        int[] atA = coalescible(a, Set.of(), 8109);
        Path a2 = dir.resolve("a.pcap"), b2 = dir.resolve("b.pcap");
        Rewrite.write(coalesce(b, atB), b2);
        Rewrite.write(coalesce(a, atA), a2);
        Set<String> want = new TreeSet<>();
        for (String s : t.segments()) {
            String[] f = s.split(" ");
            long frame = Long.parseLong(f[1]);
            int removed = (f[0].equals("lostAtoB") || f[0].equals("appearedAtA") ? atA : atB)[1] + 1;
            want.add(f[0] + " " + (frame > removed ? frame - 1 : frame));
        }
        Comparison c = Compared.compare(List.of(a2), List.of(b2), t.idle());
        Set<String> got = Compared.listed(c);
        assertTrue(got.equals(want), Compared.diff(want, got));
    }

    private static Set<Long> frames(Set<String> segments, String kind) {
        Set<Long> out = new TreeSet<>();
        segments.stream().filter(s -> s.startsWith(kind + " ")).forEach(s -> out.add(Long.parseLong(s.split(" ")[1])));
        return out;
    }

    /**
     * Two records {i, j} (0-based) of the server data of the connection to {@code port}, j the next server
     * segment after i and continuing its bytes, neither of their frames in {@code avoid}.
     */
    private static int[] coalescible(List<Rewrite.Rec> recs, Set<Long> avoid, int port) {
        for (int i = 0; i < recs.size(); i++) {
            Packet p = Packet.of(recs.get(i).data());
            if (p == null || p.v6() || p.srcPort() != port || p.payload() < 1000 || avoid.contains(i + 1L)) {
                continue;
            }
            for (int j = i + 1; j < recs.size(); j++) {
                Packet q = Packet.of(recs.get(j).data());
                if (q == null || q.srcPort() != p.srcPort() || q.dstPort() != p.dstPort()) {
                    continue;
                }
                if (p.seq() + p.payload() == q.seq() && q.payload() > 0 && !avoid.contains(j + 1L)) {
                    return new int[] {i, j};
                }
                break;
            }
        }
        throw new AssertionError("no two server segments in a row");
    }

    /** Records i and j as one at i: its headers, both payloads' length (the capture keeps the first's bytes). */
    private static List<Rewrite.Rec> coalesce(List<Rewrite.Rec> recs, int[] ij) {
        Rewrite.Rec r = recs.get(ij[0]);
        Packet p = Packet.of(r.data()), q = Packet.of(recs.get(ij[1]).data());
        byte[] d = r.data().clone();
        Packet.put16(d, p.ip() + 2, Packet.u16(d, p.ip() + 2) + q.payload());
        List<Rewrite.Rec> out = new ArrayList<>(recs);
        out.set(ij[0], new Rewrite.Rec(r.frame(), r.ts(), d, r.wireLen() + q.payload()));
        out.remove(ij[1]);
        return out;
    }
}
