package dev.tcpautopsy.capture;

import dev.tcpautopsy.capture.Records.Result;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of damage: the good records before it come out, then one CaptureFormatException
 * whose one-line message names the offset, what was found and what was expected.
 */
class DamageTest {
    private static final byte[] P = CaptureFormatsTest.P1;

    private static Result damaged(byte[] file, int goodRecords, long offset, String... words) throws Exception {
        Result r = Records.read(file);
        assertEquals(goodRecords, r.records().size(), "records before the damage");
        CaptureFormatException e = r.error();
        assertNotNull(e, "damage must be reported");
        assertEquals(offset, e.offset());
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.startsWith("at byte " + offset + ": "), msg);
        for (String w : words) {
            assertTrue(msg.contains(w), "'" + w + "' in: " + msg);
        }
        return r;
    }

    private static byte[] threeRecords() {
        return CaptureBuilder.pcap(true, false, 1).record(1, 0, P).record(2, 0, P).record(3, 0, P).done();
    }

    @Test
    void truncatedLastRecord() throws Exception {
        byte[] f = threeRecords();
        damaged(Arrays.copyOf(f, f.length - 2), 2, 24 + 2 * 21, "frame 3", "found 19 bytes", "expected 21");
    }

    @Test
    void truncatedRecordHeader() throws Exception {
        byte[] f = threeRecords();
        damaged(Arrays.copyOf(f, 24 + 2 * 21 + 7), 2, 24 + 2 * 21, "record header of frame 3", "expected 16");
    }

    @Test
    void absurdRecordLength() throws Exception {
        byte[] f = threeRecords();
        int h = 24 + 21 + 8; // caplen of the second record
        f[h] = (byte) 0xff;
        f[h + 1] = (byte) 0xff;
        f[h + 2] = (byte) 0xff;
        f[h + 3] = (byte) 0x7f;
        damaged(f, 1, 24 + 21, "claims 2147483647 captured bytes", "expected at most 4096");
    }

    @Test
    void garbageInTheMiddleOfAPcap() throws Exception {
        byte[] f = threeRecords();
        byte[] g = new byte[f.length + 16];
        System.arraycopy(f, 0, g, 0, 45);
        Arrays.fill(g, 45, 61, (byte) 0xEE);
        System.arraycopy(f, 45, g, 61, f.length - 45);
        damaged(g, 1, 45, "claims", "expected at most");
    }

    @Test
    void zeroLengthFile() throws Exception {
        damaged(new byte[0], 0, 0, "empty file", "expected a pcap or pcapng header");
    }

    @Test
    void notACapture() throws Exception {
        damaged("<html><body>".getBytes(), 0, 0, "found 0x3c68746d", "expected a pcap magic");
        damaged(new byte[] {(byte) 0xd4, (byte) 0xc3}, 0, 0, "only 2 bytes");
    }

    @Test
    void pcapVersionOtherThanTwo() throws Exception {
        byte[] f = threeRecords();
        f[4] = 3;
        damaged(f, 0, 4, "version 3, expected 2");
    }

    @Test
    void pcapFileHeaderCutShort() throws Exception {
        damaged(Arrays.copyOf(threeRecords(), 20), 0, 0, "pcap file header", "expected 24");
    }

    @Test
    void corruptGzipData() throws Exception {
        byte[] gz = CaptureBuilder.gzip(threeRecords());
        gz[gz.length - 12] ^= 0x5A; // inside the deflate data or its CRC: caught either way
        Result r = Records.read(gz);
        assertNotNull(r.error());
        assertTrue(r.error().getMessage().contains("gzip"), r.error().getMessage());
    }

    @Test
    void gzipCrcMismatchComesAfterTheRecords() throws Exception {
        byte[] gz = CaptureBuilder.gzip(threeRecords());
        gz[gz.length - 8] ^= 1; // the member's CRC-32
        damaged(gz, 3, 24 + 3 * 21, "CRC-32", "expected");
    }

    @Test
    void truncatedGzip() throws Exception {
        byte[] gz = CaptureBuilder.gzip(threeRecords());
        Result r = Records.read(Arrays.copyOf(gz, gz.length - 9));
        assertNotNull(r.error());
        assertTrue(r.error().getMessage().contains("gzip stream ends"), r.error().getMessage());
        assertEquals(3, r.records().size(), "all data was inflated before the trailer went missing");
    }

    @Test
    void gzipOfNothing() throws Exception {
        damaged(CaptureBuilder.gzip(new byte[0]), 0, 0, "empty after decompression");
    }

    @Test
    void pcapngUnknownBlockWithCorruptLength() throws Exception {
        byte[] ok = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P, 5).done();
        byte[] bad = CaptureBuilder.pcapng(true).u32(0x77).u32(13).u32(0).u32(0).done();
        byte[] f = cat(ok, Arrays.copyOfRange(bad, 28, bad.length));
        damaged(f, 1, ok.length + 4, "type 0x77 block has length 13", "expected a multiple of 4");
    }

    @Test
    void pcapngBlockWhoseTrailingLengthDisagrees() throws Exception {
        byte[] f = CaptureBuilder.pcapng(false).iface(1, 0, -1, 0).epb(0, 1, P, 5).epb(0, 2, P, 5).done();
        f[f.length - 1] = 99;
        int second = f.length - 40;
        damaged(f, 1, second, "enhanced packet block ends with length 99", "expected 40");
    }

    @Test
    void pcapngPacketBeforeAnyInterface() throws Exception {
        byte[] f = CaptureBuilder.pcapng(true).epb(0, 1, P, 5).done();
        damaged(f, 0, 28, "refers to interface 0", "expected one of the 0");
    }

    @Test
    void pcapngInterfaceIdsAreResetBySectionHeaders() throws Exception {
        byte[] f = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P, 5).section(true).epb(0, 1, P, 5)
                .done();
        Result r = Records.read(f);
        assertEquals(1, r.records().size());
        assertTrue(r.error().getMessage().contains("described in this section"), r.error().getMessage());
    }

    @Test
    void pcapngCapturedLengthBeyondTheBlock() throws Exception {
        byte[] f = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P, 5).done();
        int caplen = f.length - 40 + 20;
        f[caplen] = 100;
        damaged(f, 0, f.length - 40, "claims 100 captured bytes", "expected at most the 8");
    }

    @Test
    void pcapngBadByteOrderMagicInALaterSection() throws Exception {
        byte[] a = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P, 5).done();
        byte[] b = CaptureBuilder.pcapng(true).done();
        b[8] = 0x11;
        damaged(cat(a, b), 1, a.length + 8, "byte-order magic", "expected 0x1a2b3c4d");
    }

    @Test
    void pcapngBlockTooLongForTheLimits() throws Exception {
        byte[] a = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).done();
        byte[] b = CaptureBuilder.pcapng(true).u32(6).u32(0x0100_0000).done();
        damaged(cat(a, Arrays.copyOfRange(b, 28, b.length)), 0, a.length + 4, "length 16777216");
    }

    @Test
    void pcapngSkippedBlockCutShort() throws Exception {
        byte[] a = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P, 5).block(5, new byte[400]).done();
        damaged(Arrays.copyOf(a, a.length - 100), 1, a.length - 412, "block of type 0x5 cut short", "expected 412");
    }

    static byte[] cat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
