package dev.tcpautopsy.decode;

import dev.tcpautopsy.model.LinkTypeCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.tcpautopsy.decode.Packets.A4;
import static dev.tcpautopsy.decode.Packets.A6;
import static dev.tcpautopsy.decode.Packets.B4;
import static dev.tcpautopsy.decode.Packets.B6;
import static dev.tcpautopsy.decode.Packets.bytes;
import static dev.tcpautopsy.decode.Packets.cat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every link type the decoder knows, carrying the same TCP segment. */
class LinkLayerTest {
    static final byte[] TCP = Packets.tcp(40000, 443, 0xFFFF_FFF0L, 7, TcpSegment.ACK | TcpSegment.PSH, 513,
            new byte[0], 10);
    static final byte[] IP4 = Packets.ipv4(A4, B4, 6, TCP);
    static final byte[] IP6 = Packets.ipv6(A6, B6, 6, TCP);

    /** The segment inside IP4 / IP6, field by field. */
    static void assertSegment(Decoded d, int version) {
        assertNotNull(d.seg(), () -> "no segment; stats " + d.stats());
        TcpSegment s = d.seg();
        assertEquals(version, s.ipVersion);
        assertEquals(version == 4 ? "198.18.0.2" : "2001:db8::2", d.src());
        assertEquals(version == 4 ? "198.18.1.2" : "2001:db8:0:1::2", d.dst());
        assertEquals(40000, s.srcPort);
        assertEquals(443, s.dstPort);
        assertEquals(0xFFFF_FFF0L, s.seq);
        assertEquals(7, s.ack);
        assertEquals(TcpSegment.ACK | TcpSegment.PSH, s.flags);
        assertEquals(513, s.window);
        assertEquals(10, s.payloadLen);
        assertEquals(10, s.payloadCapLen);
        assertEquals(version == 4 ? 64 : 63, s.ttl);
        assertEquals(version == 4 ? 0x1234 : -1, s.ipId);
        assertEquals(7, s.frame);
        assertEquals(42, s.tsNanos);
        assertEquals(1, d.stats().tcpSegments());
        assertEquals(1, d.stats().ipv4() + d.stats().ipv6(), "one packet, counted once by its outermost IP");
    }

    static String decoderOf(Decoded d, int linkType) {
        for (LinkTypeCount c : d.decoder().linkTypes()) {
            if (c.linkType() == linkType) {
                assertEquals(1, c.packets());
                return c.decoder();
            }
        }
        throw new AssertionError("link type " + linkType + " not counted");
    }

    @Test
    void ethernet() {
        assertSegment(Decoded.of(1, Packets.ether(0x0800, IP4)), 4);
        assertEquals(1, Decoded.of(1, Packets.ether(0x0800, IP4)).stats().ipv4());
        assertSegment(Decoded.of(1, Packets.ether(0x86DD, IP6)), 6);
        assertEquals(1, Decoded.of(1, Packets.ether(0x86DD, IP6)).stats().ipv6());
        assertEquals("native", decoderOf(Decoded.of(1, Packets.ether(0x0800, IP4)), 1));
    }

    @Test
    void vlanStacksOfEveryTagType() {
        int[][] stacks = {{0x8100}, {0x88A8, 0x8100}, {0x9100, 0x9100, 0x8100}, {0x88A8, 0x88A8, 0x8100, 0x8100}};
        for (int[] s : stacks) {
            Decoded d = Decoded.of(1, Packets.etherTagged(s, 0x0800, IP4));
            assertSegment(d, 4);
            assertEquals(1, d.tunnel("802.1Q/802.1ad"));
            assertSegment(Decoded.of(1, Packets.etherTagged(s, 0x86DD, IP6)), 6);
        }
        Decoded cut = Decoded.of(1, Packets.etherTagged(new int[] {0x8100, 0x8100}, 0x0800, IP4), 16);
        assertEquals(1, cut.anomaly("TRUNCATED_LINK_HEADER"));
    }

    @Test
    void ieee8023WithSnap() {
        byte[] snap = cat(bytes(0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0x00), IP4);
        assertSegment(Decoded.of(1, Packets.ether(snap.length, snap)), 4);
        Decoded stp = Decoded.of(1, Packets.ether(38, cat(bytes(0x42, 0x42, 3), new byte[35])));
        assertEquals(1, stp.other("802.2 LLC"));
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] sll = cat(bytes(0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00), IP4);
        assertSegment(Decoded.of(113, sll), 4);
        byte[] sll2 = cat(bytes(0x86, 0xDD, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0), IP6);
        assertSegment(Decoded.of(276, sll2), 6);
        byte[] sllVlan = cat(bytes(0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x81, 0x00), bytes(0, 5, 0x08, 0), IP4);
        assertSegment(Decoded.of(113, sllVlan), 4);
        assertEquals(1, Decoded.of(113, new byte[15]).anomaly("TRUNCATED_LINK_HEADER"));
        assertEquals(1, Decoded.of(276, new byte[19]).anomaly("TRUNCATED_LINK_HEADER"));
    }

    @Test
    void bsdLoopbackInBothByteOrders() {
        assertSegment(Decoded.of(0, cat(bytes(2, 0, 0, 0), IP4)), 4);
        assertSegment(Decoded.of(0, cat(bytes(0, 0, 0, 2), IP4)), 4);
        for (int af : new int[] {24, 28, 30}) {
            assertSegment(Decoded.of(0, cat(bytes(af, 0, 0, 0), IP6)), 6);
            assertSegment(Decoded.of(0, cat(bytes(0, 0, 0, af), IP6)), 6);
            assertSegment(Decoded.of(108, cat(bytes(0, 0, 0, af), IP6)), 6);
        }
        assertSegment(Decoded.of(108, cat(bytes(0, 0, 0, 2), IP4)), 4);
        assertEquals(1, Decoded.of(0, cat(bytes(7, 0, 0, 0), IP4)).other("loopback AF 7"));
        assertEquals(1, Decoded.of(0, bytes(2, 0)).anomaly("TRUNCATED_LINK_HEADER"));
    }

    @ParameterizedTest
    @ValueSource(ints = {101, 12, 14})
    void rawIp(int linkType) {
        assertSegment(Decoded.of(linkType, IP4), 4);
        assertSegment(Decoded.of(linkType, IP6), 6);
        assertEquals(1, Decoded.of(linkType, cat(bytes(0x50), IP4)).anomaly("BAD_IP_VERSION"));
    }

    @Test
    void ipv4AndIpv6LinkTypesAcceptOnlyTheirVersion() {
        assertSegment(Decoded.of(228, IP4), 4);
        assertSegment(Decoded.of(229, IP6), 6);
        assertEquals(1, Decoded.of(228, IP6).anomaly("BAD_IP_VERSION"));
        assertEquals(1, Decoded.of(229, IP4).anomaly("TRUNCATED_IP_HEADER") + Decoded.of(229, IP4)
                .anomaly("BAD_IP_VERSION"));
    }

    @Test
    void pppAndCiscoHdlc() {
        assertSegment(Decoded.of(9, cat(bytes(0xFF, 0x03, 0x00, 0x21), IP4)), 4);
        assertSegment(Decoded.of(9, cat(bytes(0x21), IP4)), 4);
        assertSegment(Decoded.of(9, cat(bytes(0x00, 0x57), IP6)), 6);
        assertSegment(Decoded.of(50, cat(bytes(0xFF, 0x03, 0x00, 0x21), IP4)), 4);
        assertSegment(Decoded.of(104, cat(bytes(0x0F, 0x00, 0x08, 0x00), IP4)), 4);
        assertSegment(Decoded.of(104, cat(bytes(0x8F, 0x00, 0x86, 0xDD), IP6)), 6);
        // MPLS inside PPP: pcap4j did not follow it
        assertSegment(Decoded.of(9, cat(bytes(0xFF, 0x03, 0x02, 0x81, 0, 0x01, 0x01, 0x40), IP4)), 4);
    }

    @Test
    void otherNativeLinkTypes() {
        byte[] fddi = cat(bytes(0x50), new byte[12], bytes(0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0x00), IP4);
        assertSegment(Decoded.of(10, fddi), 4);
        byte[] nflog = cat(bytes(2, 0, 0, 0), bytes(8, 0, 1, 0, 8, 0, 0, 3),
                bytes((IP4.length + 4) & 0xFF, (IP4.length + 4) >> 8, 9, 0), IP4);
        assertSegment(Decoded.of(239, nflog), 4);
        assertSegment(Decoded.of(242, cat(new byte[40], bytes(0x08, 0x00, 0, 0), IP4)), 4);
        assertSegment(Decoded.of(129, cat(bytes(1, 2, 0, 0, 0xF0), IP4)), 4);
        assertSegment(Decoded.of(129, cat(bytes(1, 2, 0, 0, 0xD4, 0, 0, 1), IP4)), 4);
        byte[] juniper = cat(bytes('M', 'G', 'C', 0x80, 0, 4, 1, 2, 3, 4), Packets.ether(0x0800, IP4));
        assertSegment(Decoded.of(178, juniper), 4);
    }

    @Test
    void radiotapGoesThroughPcap4j() {
        byte[] radiotap = bytes(0, 0, 8, 0, 0, 0, 0, 0);
        // 802.11 data frame, from DS: frame control, duration, three addresses, sequence control
        byte[] wlan = cat(bytes(0x08, 0x02, 0, 0), new byte[18], bytes(0, 0),
                bytes(0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0x00), IP4);
        Decoded d = Decoded.of(127, cat(radiotap, wlan));
        assertSegment(d, 4);
        assertEquals("pcap4j", decoderOf(d, 127));
        assertEquals("LINKTYPE_IEEE802_11_RADIOTAP", d.decoder().linkTypes().get(0).name());
    }

    @Test
    void unknownLinkTypesAreCountedByName() {
        Decoded d = Decoded.of(147, IP4);
        assertNull(d.seg());
        assertEquals("none", decoderOf(d, 147));
        assertEquals("LINKTYPE_USER0", d.decoder().linkTypes().get(0).name());
        Decoded odd = Decoded.of(4242, IP4);
        assertEquals("LINKTYPE_4242", odd.decoder().linkTypes().get(0).name());
        assertEquals("none", decoderOf(odd, 4242));
    }
}
