package dev.tcpautopsy.decode;

import org.junit.jupiter.api.Test;

import static dev.tcpautopsy.decode.LinkLayerTest.TCP;
import static dev.tcpautopsy.decode.LinkLayerTest.assertSegment;
import static dev.tcpautopsy.decode.Packets.A4;
import static dev.tcpautopsy.decode.Packets.A6;
import static dev.tcpautopsy.decode.Packets.B4;
import static dev.tcpautopsy.decode.Packets.B6;
import static dev.tcpautopsy.decode.Packets.bytes;
import static dev.tcpautopsy.decode.Packets.cat;
import static dev.tcpautopsy.decode.Packets.ether;
import static dev.tcpautopsy.decode.Packets.ipv4;
import static dev.tcpautopsy.decode.Packets.ipv6;
import static dev.tcpautopsy.decode.Packets.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv4, IPv6 and TCP headers: options, lengths, fragments, and each per-packet anomaly. */
class IpTcpTest {
    private static Decoded eth4(byte[] ip) {
        return Decoded.of(1, ether(0x0800, ip));
    }

    private static Decoded eth6(byte[] ip) {
        return Decoded.of(1, ether(0x86DD, ip));
    }

    @Test
    void ipv4OptionsAreSkippedByTheHeaderLength() {
        for (int words = 1; words <= 10; words++) {
            byte[] opts = new byte[4 * words];
            opts[0] = (byte) 0x94; // router alert
            opts[1] = 4;
            for (int i = 4; i < opts.length; i++) {
                opts[i] = 1; // NOP
            }
            assertSegment(eth4(ipv4(A4, B4, 6, 64, 0x1234, 0x4000, opts, TCP)), 4);
        }
    }

    @Test
    void impossibleIpv4HeaderLength() {
        byte[] ip = ipv4(A4, B4, 6, TCP);
        ip[0] = 0x44;
        Decoded d = eth4(ip);
        assertNull(d.seg());
        assertEquals(1, d.anomaly("BAD_IPV4_IHL"));
        ip[0] = 0x46; // 24 bytes of header, and a total length below that
        ip[2] = 0;
        ip[3] = 22;
        assertEquals(1, eth4(ip).anomaly("BAD_IP_LENGTH"));
    }

    @Test
    void payloadLengthComesFromTheIpLengthNotTheCapture() {
        byte[] frame = ether(0x0800, ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.ACK, 1000)));
        Decoded cut = Decoded.of(1, frame, 96); // snapshot length 96
        assertEquals(1000, cut.seg().payloadLen);
        assertEquals(96 - 14 - 20 - 20, cut.seg().payloadCapLen);
        // a bare ACK padded to Ethernet's 60-byte minimum has no payload
        byte[] ack = ether(0x0800, ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.ACK, 0)));
        byte[] padded = java.util.Arrays.copyOf(ack, 60);
        padded[59] = (byte) 0xEE;
        Decoded p = Decoded.of(1, padded);
        assertEquals(0, p.seg().payloadLen);
        assertEquals(0, p.seg().payloadCapLen);
    }

    @Test
    void zeroTotalLengthFromSegmentationOffloadTakesTheFrameLength() {
        byte[] ip = ipv4(A4, B4, 6, TCP);
        ip[2] = 0;
        ip[3] = 0;
        Decoded d = eth4(ip);
        assertEquals(10, d.seg().payloadLen);
        assertTrue(d.stats().anomalies().isEmpty());
    }

    @Test
    void ipLengthBeyondTheFrameIsCountedAndClamped() {
        byte[] ip = ipv4(A4, B4, 6, TCP);
        ip[3] += 100;
        Decoded d = eth4(ip);
        assertEquals(10, d.seg().payloadLen);
        assertEquals(1, d.anomaly("IP_LENGTH_EXCEEDS_FRAME"));
    }

    @Test
    void truncatedHeadersAtEachLayer() {
        byte[] frame = ether(0x0800, ipv4(A4, B4, 6, TCP));
        assertEquals(1, Decoded.of(1, frame, 10).anomaly("TRUNCATED_LINK_HEADER"));
        assertEquals(1, Decoded.of(1, frame, 14 + 19).anomaly("TRUNCATED_IP_HEADER"));
        assertEquals(1, Decoded.of(1, frame, 14 + 20 + 3).anomaly("TCP_PORTS_NOT_CAPTURED"));
        assertEquals(1, Decoded.of(1, frame, 14 + 20 + 4).anomaly("TRUNCATED_TCP_HEADER"));
        assertEquals(1, Decoded.of(1, frame, 14 + 20 + 19).anomaly("TRUNCATED_TCP_HEADER"));
        assertNotNull(Decoded.of(1, frame, 14 + 20 + 20).seg());
        byte[] withOpts = ether(0x0800, ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.SYN, 100,
                bytes(2, 4, 5, 0xb4, 1, 3, 3, 7), 0)));
        assertEquals(1, Decoded.of(1, withOpts, 14 + 20 + 24).anomaly("TRUNCATED_TCP_HEADER"));
        byte[] v6 = ether(0x86DD, ipv6(A6, B6, 6, TCP));
        assertEquals(1, Decoded.of(1, v6, 14 + 39).anomaly("TRUNCATED_IP_HEADER"));
    }

    @Test
    void impossibleDataOffset() {
        byte[] t = TCP.clone();
        t[12] = 0x40; // 16 bytes
        assertEquals(1, eth4(ipv4(A4, B4, 6, t)).anomaly("BAD_TCP_DATA_OFFSET"));
        byte[] u = tcp(1, 2, 3, 4, TcpSegment.ACK, 0);
        u[12] = (byte) 0xF0; // 60 bytes, longer than the 20-byte segment
        assertEquals(1, eth4(ipv4(A4, B4, 6, u)).anomaly("BAD_TCP_DATA_OFFSET"));
    }

    @Test
    void synOptions() {
        byte[] opts = bytes(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7);
        Decoded d = eth4(ipv4(A4, B4, 6, tcp(1, 2, 3, 0, TcpSegment.SYN, 64240, opts, 0)));
        TcpSegment s = d.seg();
        assertEquals(1460, s.mss);
        assertTrue(s.sackPermitted);
        assertEquals(9, s.tsVal);
        assertEquals(0, s.tsEcr);
        assertEquals(7, s.windowScale);
        assertEquals(0, s.sackCount);
        assertEquals(1, s.seqLen());
    }

    @Test
    void timestampsOnTheCommonPathAndSackBlocks() {
        byte[] ts = bytes(1, 1, 8, 10, 0x80, 0, 0, 1, 0, 0, 0, 2);
        TcpSegment s = eth4(ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.ACK, 9, ts, 0))).seg();
        assertEquals(0x8000_0001L, s.tsVal);
        assertEquals(2, s.tsEcr);
        assertEquals(-1, s.mss);
        byte[] sack = cat(bytes(1, 1, 5, 34), new byte[32]);
        for (int i = 0; i < 8; i++) {
            sack[4 + 4 * i + 3] = (byte) (10 + i);
        }
        sack[4] = (byte) 0xFF; // first left edge above 2^31
        TcpSegment k = eth4(ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.ACK, 9, sack, 0))).seg();
        assertEquals(4, k.sackCount);
        assertEquals(0xFF00_000AL, k.sackLeft[0]);
        assertEquals(11, k.sackRight[0]);
        assertEquals(16, k.sackLeft[3]);
        assertEquals(17, k.sackRight[3]);
        assertEquals(-1, k.tsVal, "options are reset between packets");
    }

    @Test
    void optionsAreClearedBetweenPacketsOfOneDecoder() {
        PacketDecoderHarness h = new PacketDecoderHarness();
        TcpSegment s = h.decode(ether(0x0800, ipv4(A4, B4, 6, tcp(1, 2, 3, 0, TcpSegment.SYN, 9,
                bytes(2, 4, 5, 0xb4, 4, 2, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2), 0))));
        assertEquals(1460, s.mss);
        assertEquals(1, s.sackCount);
        s = h.decode(ether(0x0800, ipv4(A4, B4, 6, TCP)));
        assertEquals(-1, s.mss);
        assertFalse(s.sackPermitted);
        assertEquals(0, s.sackCount);
    }

    @Test
    void badOptionLengthIsCountedButTheSegmentKept() {
        byte[] opts = bytes(2, 4, 5, 0xb4, 8, 40, 0, 0);
        Decoded d = eth4(ipv4(A4, B4, 6, tcp(1, 2, 3, 4, TcpSegment.SYN, 9, opts, 0)));
        assertNotNull(d.seg());
        assertEquals(1460, d.seg().mss);
        assertEquals(1, d.anomaly("BAD_TCP_OPTION"));
        assertEquals(1, eth4(ipv4(A4, B4, 6, tcp(1, 2, 3, 4, 0, 9, bytes(1, 1, 1, 3), 0)))
                .anomaly("BAD_TCP_OPTION"));
    }

    @Test
    void ipv4Fragments() {
        // first fragment holding the whole TCP header: decoded, payload as far as this fragment goes
        Decoded first = eth4(ipv4(A4, B4, 6, 64, 9, 0x2000, new byte[0], TCP));
        assertNotNull(first.seg());
        assertEquals(1, first.stats().fragments());
        // later fragment: counted only
        Decoded later = eth4(ipv4(A4, B4, 6, 64, 9, 185, new byte[0], new byte[40]));
        assertNull(later.seg());
        assertEquals(1, later.stats().fragments());
        assertTrue(later.stats().anomalies().isEmpty());
        // last fragment (offset, no MF): also counted
        assertEquals(1, eth4(ipv4(A4, B4, 6, 64, 9, 0x0010, new byte[0], new byte[8])).stats().fragments());
        // a first fragment of only 16 bytes of TCP
        Decoded split = eth4(ipv4(A4, B4, 6, 64, 9, 0x2000, new byte[0], java.util.Arrays.copyOf(TCP, 16)));
        assertEquals(1, split.anomaly("TCP_HEADER_SPLIT_BY_FRAGMENTATION"));
    }

    @Test
    void ipv6ExtensionHeaderChain() {
        byte[] chain = Packets.ext(43, 0, Packets.ext(60, 1, Packets.ext(6, 0, TCP)));
        assertSegment(eth6(ipv6(A6, B6, 0, chain)), 6);
        // AH: length in 4-byte units minus 2 (here 24 bytes)
        byte[] ah = cat(bytes(6, 4, 0, 0), new byte[20], TCP);
        assertSegment(eth6(ipv6(A6, B6, 51, ah)), 6);
        // fragment header, first fragment
        byte[] frag = cat(bytes(6, 0, 0, 1, 0, 0, 0, 7), TCP);
        Decoded f = eth6(ipv6(A6, B6, 44, frag));
        assertSegment(f, 6);
        assertEquals(1, f.stats().fragments());
        // later fragment
        Decoded later = eth6(ipv6(A6, B6, 44, cat(bytes(6, 0, 0, 0x41, 0, 0, 0, 7), new byte[24])));
        assertNull(later.seg());
        assertEquals(1, later.stats().fragments());
        // ESP stops the walk; so does "no next header"
        assertEquals(1, eth6(ipv6(A6, B6, 0, Packets.ext(50, 0, new byte[32]))).other("ESP"));
        assertEquals(1, eth6(ipv6(A6, B6, 60, Packets.ext(59, 0, new byte[0]))).other("IPv6 no next header"));
        // a chain running past the capture
        assertEquals(1, eth6(ipv6(A6, B6, 0, bytes(6, 9, 0, 0, 0, 0, 0, 0))).anomaly("TRUNCATED_IPV6_EXTENSION")
                + eth6(ipv6(A6, B6, 0, bytes(6, 9, 0, 0, 0, 0, 0, 0))).anomaly("TCP_PORTS_NOT_CAPTURED"));
        assertEquals(1, eth6(ipv6(A6, B6, 0, bytes(6, 0, 0))).anomaly("TRUNCATED_IPV6_EXTENSION"));
    }

    @Test
    void ipv6PayloadLengthBoundsThePayload() {
        byte[] ip = ipv6(A6, B6, 6, TCP);
        byte[] padded = java.util.Arrays.copyOf(ether(0x86DD, ip), 14 + ip.length + 6);
        assertSegment(Decoded.of(1, padded), 6);
        ip[4] = 0;
        ip[5] = 0; // jumbogram / offload: from the frame
        assertEquals(10, eth6(ip).seg().payloadLen);
    }

    @Test
    void otherProtocolsAreCountedByName() {
        assertEquals(1, eth4(ipv4(A4, B4, 17, new byte[16])).other("UDP"));
        assertEquals(1, eth4(ipv4(A4, B4, 1, bytes(8, 0, 0, 0, 0, 1, 0, 1))).other("ICMP"));
        assertEquals(1, eth4(ipv4(A4, B4, 132, new byte[16])).other("SCTP"));
        assertEquals(1, eth4(ipv4(A4, B4, 200, new byte[16])).other("IP protocol 200"));
        assertEquals(1, Decoded.of(1, ether(0x0806, new byte[28])).other("ARP"));
        assertEquals(1, Decoded.of(1, ether(0x1234, new byte[28])).other("ethertype 0x1234"));
        assertEquals(1, eth6(ipv6(A6, B6, 58, bytes(128, 0, 0, 0, 0, 1, 0, 1))).other("ICMPv6"));
    }

    @Test
    void icmpErrorsQuotingTcpAreCountedApartNotDecoded() {
        byte[] quoted = java.util.Arrays.copyOf(ipv4(B4, A4, 6, TCP), 28);
        Decoded d = eth4(ipv4(A4, B4, 1, cat(bytes(3, 4, 0, 0, 0, 0, 5, 0xdc), quoted)));
        assertNull(d.seg(), "an ICMP error is not a segment of the quoted flow");
        assertEquals(1, d.other("ICMP error quoting TCP"));
        assertEquals(0, d.stats().tcpSegments());
        byte[] quoted6 = java.util.Arrays.copyOf(ipv6(B6, A6, 6, TCP), 48);
        assertEquals(1, eth6(ipv6(A6, B6, 58, cat(bytes(1, 4, 0, 0, 0, 0, 0, 0), quoted6)))
                .other("ICMPv6 error quoting TCP"));
        // quoting UDP, or quoting fewer than the 4 bytes of ports: plain ICMP
        assertEquals(1, eth4(ipv4(A4, B4, 1, cat(bytes(11, 0, 0, 0, 0, 0, 0, 0),
                java.util.Arrays.copyOf(ipv4(B4, A4, 17, new byte[8]), 28)))).other("ICMP"));
        assertEquals(1, eth4(ipv4(A4, B4, 1, cat(bytes(3, 3, 0, 0, 0, 0, 0, 0),
                java.util.Arrays.copyOf(ipv4(B4, A4, 6, TCP), 23)))).other("ICMP"));
    }

    @Test
    void payloadOffsetPointsAtThePayloadInTheRecordBuffer() {
        PacketDecoderHarness h = new PacketDecoderHarness();
        byte[] t = tcp(1, 2, 3, 4, TcpSegment.PSH, 5);
        TcpSegment s = h.decode(ether(0x0800, ipv4(A4, B4, 6, t)));
        byte[] payload = java.util.Arrays.copyOfRange(h.rec.buf, s.payloadOff, s.payloadOff + s.payloadCapLen);
        assertArrayEquals(java.util.Arrays.copyOfRange(t, 20, 25), payload);
    }
}
