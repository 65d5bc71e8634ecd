package dev.tcpautopsy.flow;

import dev.tcpautopsy.capture.FrameBytes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which packets' header bytes a connection keeps for evidence, and where it gets them from. */
class PacketRingTest {
    private static final int ETHERNET = 1;
    /** A capture file: frame f's headers are at offset 100 * f, each byte f plus its place. */
    private final byte[] file = new byte[4096];
    private int reads;
    private final FrameBytes reader = (place, length) -> {
        reads++;
        return Arrays.copyOfRange(file, (int) place, (int) place + length);
    };

    PacketRingTest() {
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i / 100 + i % 100);
        }
    }

    private static PacketRing ring() {
        return new PacketRing(32, 4, 40);
    }

    /** Adds frame {@code f}, its headers said to be in the file ({@code inFile}) or only in the packet. */
    private void packet(PacketRing r, long f, int special, boolean inFile) {
        r.add(f, f * 1000, true, 0x10, f, 0, 0, 1000, 64, 0, 0);
        // what the reader handed over is what the file holds (or, copied, what the packet held)
        byte[] packet = inFile ? Arrays.copyOfRange(file, (int) (100 * f), (int) (100 * f) + 60) : new byte[60];
        if (!inFile) {
            Arrays.fill(packet, (byte) -f);
        }
        r.keepHeader(f, ETHERNET, packet, 0, packet.length, special, inFile ? 100 * f : -1, inFile ? reader : null);
    }

    private byte[] inFile(long f, int n) {
        return Arrays.copyOfRange(file, (int) (100 * f), (int) (100 * f) + n);
    }

    private static byte[] copied(long f, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) -f);
        return b;
    }

    @Test
    void headersAreReadAgainWhereTheCaptureCanBeAndCopiedWhereItCannot() {
        PacketRing r = ring();
        packet(r, 1, PacketRing.SYN, true);
        packet(r, 2, -1, false);
        assertEquals(0, reads, "nothing read while packets pass");
        assertArrayEquals(inFile(1, 40), r.headerBytes(1), "cut at the ring's header length");
        assertEquals(1, reads);
        assertArrayEquals(copied(2, 40), r.headerBytes(2));
        assertEquals(ETHERNET, r.linkType(1));
        assertNull(r.headerBytes(3));
        assertEquals(-1, r.linkType(3));
    }

    @Test
    void theLastPacketsAndTheFirstOfEachKindAreKept() {
        PacketRing r = ring();
        packet(r, 1, PacketRing.SYN, true);
        packet(r, 2, 4 + PacketRing.SYN_ACK, true);
        for (long f = 3; f <= 8; f++) {
            packet(r, f, -1, f % 2 == 0);
        }
        assertArrayEquals(inFile(1, 40), r.headerBytes(1), "the client's SYN, in its own slot");
        assertArrayEquals(inFile(2, 40), r.headerBytes(2), "the server's SYN-ACK");
        assertNull(r.headerBytes(3), "gone from the ring of the last four");
        assertNull(r.headerBytes(4));
        for (long f = 5; f <= 8; f++) {
            assertArrayEquals(f % 2 == 0 ? inFile(f, 40) : copied(f, 40), r.headerBytes(f), "frame " + f);
        }
    }

    @Test
    void aReusedRingKnowsNothingOfTheConnectionBefore() {
        PacketRing r = ring();
        packet(r, 1, PacketRing.SYN, true);
        for (long f = 2; f <= 6; f++) {
            packet(r, f, f == 6 ? PacketRing.FIN : -1, false);
        }
        r.clear();
        packet(r, 10, PacketRing.SYN, true);
        assertArrayEquals(inFile(10, 40), r.headerBytes(10));
        for (long f = 1; f <= 6; f++) {
            assertNull(r.headerBytes(f), "frame " + f + " of the connection before");
        }
        reads = 0;
        PacketHeaders s = r.snapshot();
        assertEquals(0, reads, "a snapshot reads nothing until asked");
        r.clear();
        packet(r, 20, PacketRing.SYN, false);
        assertArrayEquals(inFile(10, 40), s.headerBytes(10), "the snapshot outlives the ring's reuse");
        assertNull(s.headerBytes(20));
        assertEquals(ETHERNET, s.linkType(10));
    }

    @Test
    void bytesThatChangedSinceTheyPassedAreNoDump() {
        PacketRing r = ring();
        packet(r, 1, PacketRing.SYN, true);
        packet(r, 2, -1, true);
        PacketHeaders s = r.snapshot();
        file[100 + 39]++;
        assertNull(r.headerBytes(1), "the file changed under the frame's last bytes kept");
        assertNull(s.headerBytes(1));
        file[200 + 10]++;
        assertArrayEquals(inFile(2, 40), r.headerBytes(2), "only the last bytes kept are compared");
        file[200 + 45]++;
        assertArrayEquals(inFile(2, 40), r.headerBytes(2), "bytes beyond those kept are no matter");
    }

    @Test
    void forgottenResetsMakeRoomForTheResetThatEndsTheConnection() {
        PacketRing r = ring();
        packet(r, 1, PacketRing.RST, true);
        r.forgetRstHeaders();
        for (long f = 2; f <= 5; f++) {
            packet(r, f, -1, true);
        }
        packet(r, 6, PacketRing.RST, true);
        assertNull(r.headerBytes(1), "the forgotten RST, out of the ring too");
        assertArrayEquals(inFile(6, 40), r.headerBytes(6));
        PacketRing kept = ring();
        packet(kept, 1, PacketRing.RST, true);
        for (long f = 2; f <= 6; f++) {
            packet(kept, f, f == 6 ? PacketRing.RST : -1, true);
        }
        assertArrayEquals(inFile(1, 40), kept.headerBytes(1), "the first RST keeps its slot unless forgotten");
    }
}
