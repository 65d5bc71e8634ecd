package dev.tcpautopsy.capture;

import dev.tcpautopsy.capture.Records.Rec;
import dev.tcpautopsy.capture.Records.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every container variant, read from hand-made bytes. */
class CaptureFormatsTest {
    static final byte[] P1 = {1, 2, 3, 4, 5}, P2 = new byte[300], P3 = {9};

    static {
        for (int i = 0; i < P2.length; i++) {
            P2[i] = (byte) (i * 7);
        }
    }

    @ParameterizedTest(name = "little-endian={0} nanos={1}")
    @CsvSource({"true,false", "false,false", "true,true", "false,true"})
    void pcapInEitherByteOrderAndResolution(boolean le, boolean nanos) throws Exception {
        byte[] file = CaptureBuilder.pcap(le, nanos, 1)
                .record(1_700_000_000L, 123_456, P1, 60)
                .record(1_700_000_001L, 999_999, P2)
                .done();
        Result r = Records.read(file);
        assertNull(r.error());
        assertEquals(nanos ? "pcap-nsec" : "pcap", r.format());
        assertFalse(r.compressed());
        assertArrayEquals(new int[] {1}, r.linkTypes());
        List<Rec> recs = r.records();
        assertEquals(2, recs.size());
        Rec a = recs.get(0);
        assertEquals(1, a.frame());
        assertEquals(1_700_000_000_000_000_000L + (nanos ? 123_456 : 123_456_000), a.tsNanos());
        assertEquals(5, a.capLen());
        assertEquals(60, a.wireLen(), "original length kept apart from the captured length");
        assertArrayEquals(P1, a.data());
        assertEquals(24, a.fileOffset());
        assertEquals(2, recs.get(1).frame());
        assertArrayEquals(P2, recs.get(1).data());
        assertEquals(24 + 16 + 5, recs.get(1).fileOffset());
    }

    @Test
    void pcapLinkTypeIgnoresTheFcsBitsAboveIt() throws Exception {
        byte[] file = CaptureBuilder.pcap(true, false, 0x1000_0000 | 127).record(0, 0, P1).done();
        assertArrayEquals(new int[] {127}, Records.read(file).records().stream().mapToInt(Rec::linkType).toArray());
    }

    @Test
    void pcapngWithSeveralInterfacesAndResolutions() throws Exception {
        byte[] file = CaptureBuilder.pcapng(true)
                .iface(1, 0, -1, 0)            // default: microseconds
                .iface(113, 0, 9, 0)           // nanoseconds
                .iface(101, 0, 0x80 | 10, 100) // 2^-10 s, offset +100 s
                .iface(228, 0, 3, -5)          // milliseconds, offset -5 s
                .epb(0, 1_500_000L, P1, 5)
                .epb(1, 2_000_000_007L, P2, 1000)
                .epb(2, 3L * 1024 + 512, P3, 1)
                .epb(3, 7_250L, P1, 5)
                .done();
        Result r = Records.read(file);
        assertNull(r.error());
        assertEquals("pcapng", r.format());
        assertArrayEquals(new int[] {1, 113, 101, 228}, r.linkTypes());
        List<Rec> recs = r.records();
        assertEquals(4, recs.size());
        assertEquals(1_500_000_000L, recs.get(0).tsNanos());
        assertEquals(1, recs.get(0).linkType());
        assertEquals(2_000_000_007L, recs.get(1).tsNanos());
        assertEquals(113, recs.get(1).linkType());
        assertEquals(1000, recs.get(1).wireLen());
        assertEquals(1, recs.get(1).iface());
        assertEquals(103_500_000_000L, recs.get(2).tsNanos(), "3.5 s in 2^-10 units plus 100 s");
        assertEquals(2_250_000_000L, recs.get(3).tsNanos(), "7.25 s in ms minus 5 s");
        assertEquals(228, recs.get(3).linkType());
    }

    @Test
    void pcapngSectionsInBothByteOrdersNumberFramesAcrossSections() throws Exception {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(1, 0, -1, 0)
                .epb(0, 1, P1, 5)
                .section(true)                       // new section, other byte order, interfaces reset
                .iface(276, 0, -1, 0)
                .epb(0, 2, P2, 300)
                .section(false)
                .iface(229, 0, -1, 0)
                .iface(1, 0, -1, 0)
                .epb(1, 3, P3, 1)
                .done();
        Result r = Records.read(file);
        assertNull(r.error());
        List<Rec> recs = r.records();
        assertEquals(List.of(1L, 2L, 3L), recs.stream().map(Rec::frame).toList());
        assertEquals(List.of(1, 276, 1), recs.stream().map(Rec::linkType).toList());
        assertArrayEquals(new int[] {1, 276, 229}, r.linkTypes());
    }

    @Test
    void simpleAndObsoletePacketBlocksAndSkippedBlocks() throws Exception {
        byte[] file = CaptureBuilder.pcapng(true)
                .block(4, new byte[] {1, 0, 4, 0, 1, 2, 3, 4, 0, 0, 0, 0})   // name resolution: skipped
                .iface(1, 3, -1, 0)                                           // snaplen 3
                .pb(0, 5_000_000L, P1, 5)                                     // obsolete packet block
                .block(5, new byte[20])                                       // interface statistics
                .spb(P1, 5)                                                   // captured: min(5, snaplen 3)
                .block(0x40000BAD, new byte[] {0, 0, 0x7f, 0x1c, 1})          // custom block
                .block(0x0A, new byte[16])                                    // decryption secrets
                .block(0x1234, new byte[0])                                   // unknown, empty body
                .epb(0, 6_000_000L, P3, 1)
                .done();
        Result r = Records.read(file);
        assertNull(r.error());
        List<Rec> recs = r.records();
        assertEquals(3, recs.size());
        assertEquals(5_000_000_000L, recs.get(0).tsNanos());
        assertArrayEquals(P1, recs.get(0).data());
        assertEquals(2, recs.get(1).frame());
        assertEquals(3, recs.get(1).capLen(), "a simple packet block is cut to the interface's snaplen");
        assertEquals(5, recs.get(1).wireLen());
        assertEquals(5_000_000_000L, recs.get(1).tsNanos(), "no timestamp: the previous record's");
        assertEquals(3, recs.get(2).frame());
    }

    @Test
    void simplePacketBlockLengthComesFromTheBlockWhenOriginalIsLarger() throws Exception {
        byte[] file = CaptureBuilder.pcapng(false).iface(1, 0, -1, 0).spb(P1, 1500).done();
        Rec r = Records.read(file).records().get(0);
        assertEquals(8, r.capLen(), "block padding counts: pcapng 4.4 leaves no way to tell it apart");
        assertEquals(1500, r.wireLen());
    }

    @Test
    void systemdJournalExportBlocksAreFramesAsInWireshark() throws Exception {
        byte[] entry = "__REALTIME_TIMESTAMP=1\nMESSAGE=x\n".getBytes();
        byte[] file = CaptureBuilder.pcapng(true).iface(1, 0, -1, 0).epb(0, 1, P1, 5).block(9, entry)
                .epb(0, 2, P3, 1).done();
        List<Rec> recs = Records.read(file).records();
        assertEquals(3, recs.size());
        assertEquals(PacketRecord.LINKTYPE_SYSTEMD_JOURNAL, recs.get(1).linkType());
        assertEquals(3, recs.get(2).frame());
    }

    @Test
    void gzipIsRecognisedByMagicAndMultiMemberStreamsAreRead() throws Exception {
        byte[] head = CaptureBuilder.pcap(true, false, 1).record(1, 0, P1).done();
        byte[] tail = CaptureBuilder.pcap(true, false, 1).record(2, 0, P2).done();
        byte[] rest = java.util.Arrays.copyOfRange(tail, 24, tail.length); // records only
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.write(CaptureBuilder.gzip(head));
        two.write(CaptureBuilder.gzip(rest));
        // one byte at a time, available() == 0: GZIPInputStream before JDK 23 would stop after member 1
        Result r = Records.read(new Records.Throttled(two.toByteArray(), 1));
        assertNull(r.error());
        assertTrue(r.compressed());
        assertEquals(2, r.records().size());
        assertArrayEquals(P2, r.records().get(1).data());
    }

    @Test
    void gzipMemberWithNameCommentExtraAndHeaderCrc() throws Exception {
        byte[] pcap = CaptureBuilder.pcap(false, true, 1).record(1, 5, P1).done();
        byte[] gz = CaptureBuilder.gzip(pcap);
        // rebuild the header with FEXTRA, FNAME, FCOMMENT and FHCRC set
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        o.write(new byte[] {3, 0, 'a', 'b', 'c'});
        o.write("capture.pcap\0".getBytes());
        o.write("a comment\0".getBytes());
        o.write(new byte[] {0x12, 0x34});
        o.write(gz, 10, gz.length - 10);
        Result r = Records.read(o.toByteArray());
        assertNull(r.error());
        assertEquals("pcap-nsec", r.format());
        assertArrayEquals(P1, r.records().get(0).data());
    }

    @Test
    void trailingGarbageAfterTheLastGzipMemberIsIgnoredLikeZlib() throws Exception {
        byte[] pcap = CaptureBuilder.pcap(true, false, 1).record(1, 0, P1).done();
        byte[] gz = CaptureBuilder.gzip(pcap);
        byte[] padded = java.util.Arrays.copyOf(gz, gz.length + 512); // tape-style zero padding
        Result r = Records.read(padded);
        assertNull(r.error());
        assertEquals(1, r.records().size());
    }

    @Test
    void filesAreReadThroughTheirChannelWithTheDefaultLimits(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i ^ (i >>> 8));
        }
        CaptureBuilder b = CaptureBuilder.pcap(true, false, 1);
        for (int i = 0; i < 40; i++) {
            b.record(i, 0, big); // 40 x 70 kB: the 1 MiB buffer wraps several times
        }
        Path file = dir.resolve("capture.bin");
        Files.write(file, b.done());
        Path gz = dir.resolve("capture.pcap"); // compressed despite the name
        try (GZIPOutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(b.done());
        }
        for (Path p : new Path[] {file, gz}) {
            try (CaptureReader r = Captures.open(p)) {
                PacketRecord rec = new PacketRecord();
                int n = 0;
                while (r.next(rec)) {
                    n++;
                    assertEquals(big.length, rec.capLen);
                    assertEquals(big[69_999], rec.buf[rec.off + 69_999]);
                }
                assertEquals(40, n);
                assertEquals(Files.size(p), r.bytesRead());
                assertEquals(p == gz, r.compressed());
            }
        }
    }

    @Test
    void standardInputStyleStreamIsReadToTheEnd() throws Exception {
        byte[] file = CaptureBuilder.pcapng(false).iface(1, 0, -1, 0).epb(0, 1, P2, 300).done();
        Result r = Records.read(new ByteArrayInputStream(file));
        assertEquals(1, r.records().size());
    }
}
