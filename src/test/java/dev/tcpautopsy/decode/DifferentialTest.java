package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.factory.PacketFactory;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Over every packet of the kernel-made captures (samples/ and vectors/real/), our decoder and
 * pcap4j's agree on whether it is TCP and on addresses, ports, seq, ack, flags, window and
 * payload length. pcap4j lacks Linux cooked v2 (276): there it decodes from the IP header on.
 */
class DifferentialTest {
    private static final PacketFactory<Packet, DataLinkType> PCAP4J =
            PacketFactories.getFactory(Packet.class, DataLinkType.class);

    @Test
    void ourDecoderAgreesWithPcap4jOnEveryPacket() throws Exception {
        List<Path> files = captures();
        assertTrue(files.size() >= 2, "the real vectors are there: " + files);
        long packets = 0, tcp = 0, v6 = 0, withPayload = 0, biggest = 0, cut = 0;
        List<String> linkTypes = new ArrayList<>();
        for (Path file : files) {
            PacketDecoder d = new PacketDecoder();
            PacketRecord rec = new PacketRecord();
            TcpSegment seg = new TcpSegment();
            try (CaptureReader r = Captures.open(file)) {
                while (r.next(rec)) {
                    packets++;
                    String where = file.getFileName() + " frame " + rec.frame;
                    boolean ours = d.decode(rec, seg);
                    Packet top = parse(rec, where);
                    TcpPacket theirs = top.get(TcpPacket.class);
                    assertEquals(theirs != null, ours, where + ": TCP or not");
                    if (!ours) {
                        continue;
                    }
                    tcp++;
                    compare(seg, top.get(IpPacket.class), theirs, where);
                    v6 += seg.ipVersion == 6 ? 1 : 0;
                    withPayload += seg.payloadLen > 0 ? 1 : 0;
                    cut += seg.payloadCapLen < seg.payloadLen ? 1 : 0;
                    biggest = Math.max(biggest, seg.payloadLen);
                }
                for (int lt : r.linkTypes()) {
                    linkTypes.add(file.getFileName() + ":" + lt);
                }
            }
        }
        System.out.printf("differential: %d files, %d packets, %d TCP (%d IPv6, %d with payload, %d cut by the snapshot "
                + "length, largest %d bytes), link types %s%n", files.size(), packets, tcp, v6, withPayload, cut, biggest,
                linkTypes);
        assertTrue(tcp >= 150 && v6 >= 40 && withPayload >= 40, "coverage: " + tcp + " / " + v6 + " / " + withPayload);
        assertTrue(biggest > 1500, "segmentation-offload super-packets were compared: " + biggest);
    }

    private static void compare(TcpSegment s, IpPacket ip, TcpPacket t, String where) {
        TcpPacket.TcpHeader h = t.getHeader();
        assertEquals(ip.getHeader().getSrcAddr(), address(s.srcHi, s.srcLo), where + " src");
        assertEquals(ip.getHeader().getDstAddr(), address(s.dstHi, s.dstLo), where + " dst");
        assertEquals(ip instanceof IpV4Packet ? 4 : 6, s.ipVersion, where);
        assertEquals(h.getSrcPort().valueAsInt(), s.srcPort, where + " sport");
        assertEquals(h.getDstPort().valueAsInt(), s.dstPort, where + " dport");
        assertEquals(h.getSequenceNumberAsLong(), s.seq, where + " seq");
        assertEquals(h.getAcknowledgmentNumberAsLong(), s.ack, where + " ack");
        int flags = (h.getFin() ? TcpSegment.FIN : 0) | (h.getSyn() ? TcpSegment.SYN : 0)
                | (h.getRst() ? TcpSegment.RST : 0) | (h.getPsh() ? TcpSegment.PSH : 0)
                | (h.getAck() ? TcpSegment.ACK : 0) | (h.getUrg() ? TcpSegment.URG : 0);
        assertEquals(flags, s.flags & 0x3F, where + " flags");
        assertEquals(h.getWindowAsInt(), s.window, where + " window");
        // pcap4j knows the captured payload; the length on the wire comes from the IP header
        int captured = t.getPayload() == null ? 0 : t.getPayload().length();
        assertEquals(captured, s.payloadCapLen, where + " captured payload");
        int doff = h.getDataOffsetAsInt() * 4;
        int wire = ip instanceof IpV4Packet v4
                ? v4.getHeader().getTotalLengthAsInt() - v4.getHeader().getIhlAsInt() * 4 - doff
                : ((org.pcap4j.packet.IpV6Packet) ip).getHeader().getPayloadLengthAsInt() - doff;
        assertEquals(wire, s.payloadLen, where + " payload length");
    }

    private static Packet parse(PacketRecord rec, String where) {
        try {
            int ethertype = rec.capLen >= 20 ? (rec.buf[rec.off] & 0xFF) << 8 | (rec.buf[rec.off + 1] & 0xFF) : 0;
            if (rec.linkType == 276 && (ethertype == 0x0800 || ethertype == 0x86DD)) {
                // pcap4j 1.8 has no Linux cooked v2: hand it the IP packet after the fixed 20-byte header
                return PCAP4J.newInstance(rec.buf, rec.off + 20, rec.capLen - 20, DataLinkType.RAW);
            }
            return PCAP4J.newInstance(rec.buf, rec.off, rec.capLen, DataLinkType.getInstance(rec.linkType));
        } catch (RuntimeException e) {
            return fail(where + ": pcap4j failed on a kernel-made packet: " + e);
        }
    }

    private static InetAddress address(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            return Addresses.isV4(hi, lo) ? InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16))
                    : InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** samples/ (when the property points at it) and the real captures under vectors/real/. */
    private static List<Path> captures() throws Exception {
        List<Path> out = new ArrayList<>();
        String samples = System.getProperty("tcpautopsy.samples");
        if (samples != null && Files.isDirectory(Paths.get(samples))) {
            out.addAll(list(Paths.get(samples)));
        }
        out.addAll(list(real()));
        return out;
    }

    private static Path real() throws URISyntaxException {
        return Paths.get(DifferentialTest.class.getResource("/vectors/real").toURI());
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng)(\\.gz)?$")).sorted().toList();
        }
    }
}
