package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.PacketRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.tcpautopsy.decode.LinkLayerTest.IP4;
import static dev.tcpautopsy.decode.LinkLayerTest.IP6;
import static dev.tcpautopsy.decode.Packets.bytes;
import static dev.tcpautopsy.decode.Packets.cat;
import static dev.tcpautopsy.decode.Packets.ether;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder never throws, whatever the bytes: damage is an anomaly or a non-TCP count. */
class DecoderFuzzTest {
    private static final int[] LINK_TYPES = {0, 1, 9, 10, 12, 14, 50, 101, 104, 105, 108, 113, 127, 129, 147, 178,
        228, 229, 239, 242, 276};

    /** Valid frames for the link types above, each wrapping some layers worth breaking. */
    private static List<Object[]> seeds() {
        List<Object[]> s = new ArrayList<>();
        byte[] v4opts = Packets.ipv4(Packets.A4, Packets.B4, 6, 64, 1, 0x2000, bytes(0x94, 4, 0, 0),
                Packets.tcp(1, 2, 3, 4, TcpSegment.SYN, 9, bytes(2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
                        1, 3, 3, 7, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2), 5));
        byte[] v6ext = Packets.ipv6(Packets.A6, Packets.B6, 0, Packets.ext(44, 0,
                cat(bytes(51, 0, 0, 1, 0, 0, 0, 1), bytes(6, 4, 0, 0), new byte[20], LinkLayerTest.TCP)));
        s.add(new Object[] {1, ether(0x0800, v4opts)});
        s.add(new Object[] {1, Packets.etherTagged(new int[] {0x88A8, 0x8100}, 0x86DD, v6ext)});
        s.add(new Object[] {1, ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 47,
                cat(bytes(0x10, 0, 0x88, 0xBE, 0, 0, 0, 1), new byte[8], ether(0x8847,
                        cat(bytes(0, 0, 1, 0x40), IP6)))))});
        byte[] vx = cat(bytes(0xd9, 0x03, 0x12, 0xb5, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 1, 0), ether(0x8864,
                cat(bytes(0x11, 0, 0, 1, 0, 40, 0, 0x21), IP4)));
        s.add(new Object[] {1, ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 17, vx))});
        s.add(new Object[] {1, ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 1,
                cat(bytes(3, 4, 0, 0, 0, 0, 5, 0xdc), IP4)))});
        s.add(new Object[] {113, cat(bytes(0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00), IP4)});
        s.add(new Object[] {276, cat(bytes(0x86, 0xDD, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0), IP6)});
        s.add(new Object[] {0, cat(bytes(30, 0, 0, 0), IP6)});
        s.add(new Object[] {9, cat(bytes(0xFF, 0x03, 0x02, 0x81, 0, 0x01, 0x01, 0x40), IP4)});
        s.add(new Object[] {127, cat(bytes(0, 0, 8, 0, 0, 0, 0, 0, 0x88, 0x02), new byte[22], bytes(0, 0),
                bytes(0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0x00), IP4)});
        s.add(new Object[] {239, cat(bytes(2, 0, 0, 0, 54, 0, 9, 0), IP4)});
        s.add(new Object[] {178, cat(bytes('M', 'G', 'C', 0x80, 0, 0), ether(0x0800, IP4))});
        return s;
    }

    @Test
    void mutatedFramesNeverThrow() {
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            PacketDecoder d = new PacketDecoder();
            TcpSegment seg = new TcpSegment();
            PacketRecord rec = new PacketRecord();
            long n = 0;
            for (Object[] seed : seeds()) {
                int lt = (Integer) seed[0];
                byte[] f = (byte[]) seed[1];
                for (int cut = 0; cut <= f.length; cut++) {
                    n += run(d, rec, seg, lt, f, cut, f.length);
                }
                for (int i = 0; i < f.length * 8; i++) {
                    byte[] g = f.clone();
                    g[i / 8] ^= (byte) (1 << (i % 8));
                    n += run(d, rec, seg, lt, g, g.length, g.length + rnd.nextInt(3) * 700);
                }
                for (int i = 0; i < 3000; i++) {
                    byte[] g = f.clone();
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                        g[rnd.nextInt(g.length)] = (byte) rnd.nextInt(256);
                    }
                    n += run(d, rec, seg, lt, g, rnd.nextInt(g.length + 1), g.length);
                }
            }
            assertEquals(n, d.packets());
        });
    }

    @Test
    void randomBytesOnEveryLinkTypeNeverThrow() {
        Random rnd = new Random(11);
        PacketDecoder d = new PacketDecoder();
        TcpSegment seg = new TcpSegment();
        PacketRecord rec = new PacketRecord();
        for (int i = 0; i < 60_000; i++) {
            byte[] g = new byte[rnd.nextInt(120)];
            rnd.nextBytes(g);
            if (g.length > 0 && rnd.nextBoolean()) {
                g[0] = (byte) (rnd.nextBoolean() ? 0x45 : 0x60); // look like IP more often
            }
            run(d, rec, seg, LINK_TYPES[i % LINK_TYPES.length], g, g.length, g.length + rnd.nextInt(100));
        }
        assertTrue(d.stats().anomalies().size() > 3, "damage was noticed: " + d.stats().anomalies());
    }

    private static int run(PacketDecoder d, PacketRecord rec, TcpSegment seg, int lt, byte[] f, int cap, int wire) {
        rec.buf = f;
        rec.off = 0;
        rec.capLen = cap;
        rec.wireLen = wire;
        rec.linkType = lt;
        rec.frame++;
        if (d.decode(rec, seg)) {
            // a decoded segment stays inside the captured bytes
            assertTrue(seg.payloadOff <= cap && seg.payloadCapLen >= 0 && seg.payloadOff + seg.payloadCapLen <= cap);
            assertTrue(seg.payloadCapLen <= seg.payloadLen);
        }
        return 1;
    }
}
