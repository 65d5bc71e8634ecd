package dev.tcpautopsy.capture;

import dev.tcpautopsy.decode.Addresses;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.Packets;
import dev.tcpautopsy.decode.TcpSegment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: capture bytes in, decoded TCP segments out, for the three container formats. */
class SmokeTest {
    private static final byte[] SYN = Packets.ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 6,
            Packets.tcp(40000, 80, 1000, 0, TcpSegment.SYN, 0)));
    private static final byte[] DATA = Packets.ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 6,
            Packets.tcp(40000, 80, 1001, 5000, TcpSegment.ACK | TcpSegment.PSH, 100)));

    @Test
    void pcapGzipAndPcapngGiveTheSameSegments() throws Exception {
        byte[] pcap = CaptureBuilder.pcap(true, false, 1).record(1, 500, SYN).record(2, 0, DATA).done();
        byte[] ng = CaptureBuilder.pcapng(false).iface(1, 0, -1, 0).epb(0, 1_000_500, SYN, SYN.length)
                .epb(0, 2_000_000, DATA, DATA.length).done();
        for (byte[] file : new byte[][] {pcap, CaptureBuilder.gzip(pcap), ng, CaptureBuilder.gzip(ng)}) {
            try (CaptureReader r = Captures.open(new ByteArrayInputStream(file))) {
                PacketRecord rec = new PacketRecord();
                TcpSegment seg = new TcpSegment();
                PacketDecoder d = new PacketDecoder();
                assertTrue(r.next(rec));
                assertEquals(1, rec.frame);
                assertEquals(1_000_500_000L, rec.tsNanos);
                assertTrue(d.decode(rec, seg));
                assertEquals("198.18.0.2", Addresses.format(seg.srcHi, seg.srcLo));
                assertEquals("198.18.1.2", Addresses.format(seg.dstHi, seg.dstLo));
                assertEquals(40000, seg.srcPort);
                assertEquals(TcpSegment.SYN, seg.flags);
                assertTrue(r.next(rec));
                assertTrue(d.decode(rec, seg));
                assertEquals(2, seg.frame);
                assertEquals(100, seg.payloadLen);
                assertEquals(5000, seg.ack);
                assertFalse(r.next(rec));
                assertEquals(2, d.stats().tcpSegments());
            }
        }
    }
}
