package dev.tcpautopsy.compare;

import dev.tcpautopsy.capture.CaptureBuilder;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Makes a pair of captures out of one generated capture (Ethernet, IPv4 or IPv6, TCP; clients in 198.18/16
 * and 2001:db8::/64, servers in 198.19/16 and 2001:db8:1::/64), as if taken at the client's side (A) and at
 * the server's side (B) of a router that does what the test asks, and records what it did, frame for frame:
 * <ul>
 *   <li>IPv4 clients translated to one address and a port of their own per connection (NAT);</li>
 *   <li>B's clock {@code offset} ahead and drifting {@code ppm}; {@code oneWay} on the way each way;</li>
 *   <li>the TTL lowered by one hop each way;</li>
 *   <li>every {@code dropEvery}-th client segment missing at B, every {@code dropEvery+12}-th server segment
 *       missing at A (no SYN or RST, none in the first and last second);</li>
 *   <li>the MSS of IPv4 SYNs clamped to 1400, the server's sequence numbers shifted on port {@code 8443};</li>
 *   <li>one RST forged to the client, seen at A only, and one to the server, seen at B only.</li>
 * </ul>
 */
final class PairMaker {
    static final int NAT_IP = 0xC613_FF01;
    static final long SHIFT = 100_000;
    static final int SHIFTED_PORT = 8443;

    long offset = 2_500_000_000L, oneWay = 200_000;
    double ppm = 50;
    int dropEvery = 97;

    /** Frames of the segments the router lost or made, as the comparison should list them. */
    final Set<Long> lostAtoB = new HashSet<>(), lostBtoA = new HashSet<>(), appearedAtA = new HashSet<>(),
            appearedAtB = new HashSet<>();
    /** Connections, by the client's SYNs. */
    int v4Connections, v6Connections;
    /** The clients (address and port, see {@link Packet#clientKey}) whose server's sequence numbers were shifted. */
    final Set<Long> shifted = new HashSet<>();

    private final Map<Long, Integer> natPorts = new HashMap<>();
    private final Map<Long, Long> isns = new HashMap<>();
    private int nextNat = 20_000;

    void make(Path source, Path a, Path b) throws IOException {
        CaptureBuilder outA = CaptureBuilder.pcap(true, true, 1), outB = CaptureBuilder.pcap(true, true, 1);
        long frameA = 0, frameB = 0, first = -1, last = lastTime(source);
        long c2s = 0, s2c = 0;
        boolean forgedA = false, forgedB = false;
        PacketRecord rec = new PacketRecord();
        try (CaptureReader r = Captures.open(source)) {
            while (r.next(rec)) {
                byte[] f = Arrays.copyOfRange(rec.buf, rec.off, rec.off + rec.capLen);
                long t = rec.tsNanos;
                first = first < 0 ? t : first;
                Packet p = Packet.of(f);
                boolean middle = t - first > 1_000_000_000L && last - t > 1_000_000_000L;
                if (p == null) {
                    outA.record(t / 1_000_000_000L, t % 1_000_000_000L, f, rec.wireLen);
                    frameA++;
                    continue;
                }
                boolean fromClient = p.fromClient();
                boolean syn = (p.flags() & 0x02) != 0 && (p.flags() & 0x10) == 0;
                if (syn && fromClient && !Long.valueOf(p.seq()).equals(isns.put(p.clientKey(), p.seq()))) {
                    // a new connection, not a retransmitted SYN: a NAT keeps its mapping for the latter
                    if (p.v6()) {
                        v6Connections++;
                    } else {
                        v4Connections++;
                        natPorts.put(p.clientKey(), nextNat);
                        nextNat = nextNat == 60_000 ? 20_000 : nextNat + 1;
                    }
                }
                long n = fromClient ? ++c2s : ++s2c;
                boolean droppable = middle && (p.flags() & 0x06) == 0;
                boolean missingAtB = fromClient && droppable && n % dropEvery == 0;
                boolean missingAtA = !fromClient && droppable && n % (dropEvery + 12) == 0;
                if (!missingAtA) {
                    outA.record(t / 1_000_000_000L, t % 1_000_000_000L, f, rec.wireLen);
                    frameA++;
                    if (missingAtB) {
                        lostAtoB.add(frameA);
                    }
                }
                byte[] g = toB(p, f);
                long tb = t + offset + Math.round((t - first) * ppm / 1e6) + (fromClient ? oneWay : -oneWay);
                if (!missingAtB) {
                    outB.record(tb / 1_000_000_000L, tb % 1_000_000_000L, g, rec.wireLen);
                    frameB++;
                    if (missingAtA) {
                        lostBtoA.add(frameB);
                    }
                }
                if (middle && !forgedA && !fromClient && p.payload() > 0 && !p.v6() && !missingAtA) {
                    forgedA = true;
                    byte[] rst = p.reset(f, p.seq() + p.payload(), p.ack());
                    outA.record((t + 1000) / 1_000_000_000L, (t + 1000) % 1_000_000_000L, rst, rst.length);
                    appearedAtA.add(++frameA);
                }
                if (middle && !forgedB && fromClient && p.payload() > 0 && p.v6() && !missingAtB) {
                    forgedB = true;
                    Packet q = Packet.of(g);
                    byte[] rst = q.reset(g, q.seq() + q.payload(), q.ack());
                    outB.record((tb + 1000) / 1_000_000_000L, (tb + 1000) % 1_000_000_000L, rst, rst.length);
                    appearedAtB.add(++frameB);
                }
            }
        }
        Files.write(a, outA.done());
        Files.write(b, outB.done());
    }

    /** The segment as B sees it: NAT, one hop less on the way, MSS clamped, sequence numbers shifted. */
    private byte[] toB(Packet p, byte[] f) {
        byte[] g = f.clone();
        boolean fromClient = p.fromClient();
        Packet.put8(g, p.ttlAt(), (g[p.ttlAt()] & 0xFF) + (fromClient ? -1 : 1));
        if (!p.v6()) {
            Integer port = natPorts.get(p.clientKey());
            int nat = port == null ? 19_999 : port;
            Packet.put32(g, fromClient ? p.ip() + 12 : p.ip() + 16, NAT_IP);
            Packet.put16(g, fromClient ? p.tcp() : p.tcp() + 2, nat);
            p.clampMss(g, 1400);
        }
        if (p.serverPort() == SHIFTED_PORT) {
            if (fromClient && (p.flags() & 0x10) != 0) {
                Packet.put32(g, p.tcp() + 8, p.ack() + SHIFT);
            } else if (!fromClient && ((p.flags() & 0x04) == 0 || p.seq() != 0)) {
                // a reset answering a SYN has no sequence number of the server's to shift
                Packet.put32(g, p.tcp() + 4, p.seq() + SHIFT);
                shifted.add(p.clientKey());
            }
        }
        return g;
    }

    private static long lastTime(Path source) throws IOException {
        PacketRecord rec = new PacketRecord();
        long last = 0;
        try (CaptureReader r = Captures.open(source)) {
            while (r.next(rec)) {
                last = rec.tsNanos;
            }
        }
        return last;
    }
}
