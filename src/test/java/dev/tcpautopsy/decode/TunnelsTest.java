package dev.tcpautopsy.decode;

import org.junit.jupiter.api.Test;

import static dev.tcpautopsy.decode.LinkLayerTest.IP4;
import static dev.tcpautopsy.decode.LinkLayerTest.IP6;
import static dev.tcpautopsy.decode.LinkLayerTest.assertSegment;
import static dev.tcpautopsy.decode.Packets.bytes;
import static dev.tcpautopsy.decode.Packets.cat;
import static dev.tcpautopsy.decode.Packets.ether;
import static dev.tcpautopsy.decode.Packets.ipv4;
import static dev.tcpautopsy.decode.Packets.ipv6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Tunnels carrying the reference segment: the inner TCP is decoded (addresses, TTL from the
 * innermost IP header) and the tunnel is counted by name.
 */
class TunnelsTest {
    /** Outer addresses differ from the inner ones so that a mix-up shows. */
    private static final byte[] O1 = {(byte) 198, 19, 0, 1}, O2 = {(byte) 198, 19, 0, 2};

    private static Decoded overIpv4(int proto, byte[] payload) {
        return Decoded.of(1, ether(0x0800, ipv4(O1, O2, proto, 30, 1, 0, new byte[0], payload)));
    }

    private static byte[] udp(int sport, int dport, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        Packets.put16(u, 0, sport);
        Packets.put16(u, 2, dport);
        Packets.put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    private static void inner(Decoded d, int version, String tunnel) {
        assertSegment(d, version);
        assertEquals(1, d.tunnel(tunnel), () -> "tunnels " + d.stats().tunnels());
        assertEquals(1, d.stats().ipv4(), "the outermost IP header is counted, once");
    }

    @Test
    void ipInIp() {
        inner(overIpv4(4, IP4), 4, "IPv4-in-IP");
        inner(overIpv4(41, IP6), 6, "IPv6-in-IP");
    }

    @Test
    void greVariants() {
        inner(overIpv4(47, cat(bytes(0, 0, 0x08, 0), IP4)), 4, "GRE");
        // checksum, key and sequence number present
        inner(overIpv4(47, cat(bytes(0xB0, 0, 0x86, 0xDD), new byte[12], IP6)), 6, "GRE");
        inner(overIpv4(47, cat(bytes(0, 0, 0x65, 0x58), ether(0x0800, IP4))), 4, "GRE-TEB");
        // ERSPAN type II (sequenced GRE, 8-byte header) and type III with the platform subheader
        inner(overIpv4(47, cat(bytes(0x10, 0, 0x88, 0xBE, 0, 0, 0, 1), new byte[8], ether(0x0800, IP4))), 4, "ERSPAN");
        byte[] e3 = new byte[12];
        e3[11] = 1;
        inner(overIpv4(47, cat(bytes(0x10, 0, 0x22, 0xEB, 0, 0, 0, 1), e3, new byte[8], ether(0x0800, IP4))), 4,
                "ERSPAN");
        // PPTP: enhanced GRE (version 1) with key, sequence number and PPP
        inner(overIpv4(47, cat(bytes(0x30, 0x81, 0x88, 0x0B, 0, 40, 0, 1, 0, 0, 0, 5, 0, 0, 0, 4, 0xFF, 0x03, 0, 0x21),
                IP4)), 4, "GRE-PPTP");
        // WCCP redirect header
        inner(overIpv4(47, cat(bytes(0, 0, 0x88, 0x3E, 0x05, 0x59, 0, 0x48), IP4)), 4, "GRE");
        // Aruba: an 802.11 QoS data frame, then LLC/SNAP
        byte[] wlan = cat(bytes(0x88, 0x01), new byte[22], bytes(0, 0), bytes(0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0), IP4);
        inner(overIpv4(47, cat(bytes(0, 0, 0x82, 0x00), wlan)), 4, "GRE-802.11");
        // source routing is not followed
        assertNull(overIpv4(47, cat(bytes(0x40, 0, 0x08, 0), new byte[8], IP4)).seg());
    }

    @Test
    void udpTunnels() {
        inner(overIpv4(17, udp(55555, 4789, cat(bytes(8, 0, 0, 0, 0, 0, 1, 0), ether(0x0800, IP4)))), 4, "VXLAN");
        // GENEVE with 8 bytes of options, carrying IPv6 directly
        inner(overIpv4(17, udp(55555, 6081, cat(bytes(2, 0, 0x86, 0xDD, 0, 0, 1, 0), new byte[8], IP6))), 6,
                "GENEVE");
        // Teredo with an origin indication
        inner(overIpv4(17, udp(3544, 40000, cat(bytes(0, 0, 0x9f, 0x3d, 1, 2, 3, 4), IP6))), 6, "Teredo");
        // GTP-U with a sequence number and one extension header
        byte[] gtp = cat(bytes(0x36, 0xFF, 0, 0, 0, 0, 0, 1), bytes(0, 1, 0, 0x85), bytes(1, 0x10, 0, 0), IP4);
        inner(overIpv4(17, udp(2152, 2152, gtp)), 4, "GTP-U");
        inner(overIpv4(17, udp(1000, 4754, cat(bytes(0, 0, 0x08, 0), IP4))), 4, "GRE");
        // AYIYA: 16-byte identity, 20-byte signature
        byte[] ayiya = cat(bytes(0x41, 0x52, 0x11, 41, 0, 0, 0, 0), new byte[36], IP6);
        inner(overIpv4(17, udp(5072, 5072, ayiya)), 6, "AYIYA");
        assertEquals(1, overIpv4(17, udp(1000, 53, new byte[20])).other("UDP"));
    }

    @Test
    void mplsAndPppoe() {
        byte[] labels = bytes(0, 0x10, 0x00, 0x40, 0, 0x20, 0x01, 0x40);
        inner(Decoded.of(1, ether(0x8847, cat(labels, IP4))), 4, "MPLS");
        Decoded v6 = Decoded.of(1, ether(0x8847, cat(labels, IP6)));
        assertSegment(v6, 6);
        byte[] pppoe = cat(bytes(0x11, 0, 0, 1, 0, IP4.length + 2, 0, 0x21), IP4);
        inner(Decoded.of(1, ether(0x8864, pppoe)), 4, "PPPoE");
        assertEquals(1, Decoded.of(1, ether(0x8847, bytes(0, 0x10, 0x00))).anomaly("TRUNCATED_TUNNEL_HEADER"));
    }

    /**
     * pppoe-over-qinq.pcap's frame 81: an inner IPv4 header claims 6 bytes more than the PPPoE length
     * carries, and Ethernet padding fills them; the session length bounds the packet, as in Wireshark.
     */
    @Test
    void pppoeLengthBoundsTheInnerPacket() {
        byte[] ip = IP4.clone();
        int claimed = ((ip[2] & 0xFF) << 8 | (ip[3] & 0xFF)) + 6;
        ip[2] = (byte) (claimed >> 8);
        ip[3] = (byte) claimed;
        byte[] pppoe = cat(bytes(0x11, 0, 0, 1, 0, IP4.length + 2, 0, 0x21), ip, new byte[6]);
        Decoded d = Decoded.of(1, ether(0x8864, pppoe));
        int plain = Decoded.of(1, ether(0x8864, cat(bytes(0x11, 0, 0, 1, 0, IP4.length + 2, 0, 0x21), IP4))).seg().payloadLen;
        assertEquals(plain, d.seg().payloadLen, "padding after the PPPoE payload is no TCP data");
    }

    @Test
    void otherEthernetShims() {
        assertSegment(Decoded.of(1, ether(0x8926, cat(bytes(0, 0, 0, 0x33, 0x08, 0), IP4))), 4);
        assertSegment(Decoded.of(1, ether(0x88E7, cat(bytes(0, 0, 0, 1), ether(0x0800, IP4)))), 4);
        assertSegment(Decoded.of(1, ether(0x8903, cat(bytes(0, 0), ether(0x0800, IP4)))), 4);
    }

    @Test
    void nestingIsBounded() {
        byte[] p = IP4;
        for (int i = 0; i < 12; i++) {
            p = ipv4(O1, O2, 4, p);
        }
        Decoded d = Decoded.of(101, p);
        assertNull(d.seg());
        assertEquals(1, d.anomaly("TUNNEL_TOO_DEEP"));
    }

    @Test
    void innerTtlAndIdComeFromTheInnermostHeader() {
        Decoded d = overIpv4(4, IP4);
        assertEquals(64, d.seg().ttl);
        assertEquals(0x1234, d.seg().ipId);
    }
}
