package dev.tcpautopsy.capture;

import dev.tcpautopsy.capture.Records.Rec;
import dev.tcpautopsy.capture.Records.Result;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the bytes, a reader returns good records and then ends cleanly or with a
 * CaptureFormatException: never another exception, never a hang. Records.read lets any other
 * exception escape, which fails the test.
 */
class FuzzTest {
    private static final byte[] A = CaptureFormatsTest.P1, B = CaptureFormatsTest.P2, C = CaptureFormatsTest.P3;

    static byte[] pcapLe() {
        return CaptureBuilder.pcap(true, false, 1).record(1, 2, A, 60).record(3, 4, B).record(5, 6, C).done();
    }

    static byte[] pcapBeNanos() {
        return CaptureBuilder.pcap(false, true, 113).record(1, 2, B).record(3, 4, A).done();
    }

    static byte[] pcapng() {
        return CaptureBuilder.pcapng(true).iface(1, 0, 9, 7).block(4, new byte[12]).epb(0, 10, A, 60)
                .spb(C, 1).section(false).iface(276, 64, 0x86, 0).pb(0, 20, B, 300).block(5, new byte[8])
                .epb(0, 30, C, 1).done();
    }

    private static final byte[][] FILES = {pcapLe(), pcapBeNanos(), pcapng()};

    @Test
    void truncationAtEveryOffsetGivesTheRecordsBeforeIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (byte[] f : FILES) {
                List<Rec> all = Records.read(f).records();
                for (int cut = 0; cut < f.length; cut++) {
                    final int k = cut;
                    Result r = Records.read(Arrays.copyOf(f, k));
                    List<Rec> got = r.records();
                    assertEquals(all.subList(0, got.size()), got, "prefix at cut " + k);
                    long whole = all.stream().filter(x -> end(f, x) <= k).count();
                    assertEquals(whole, got.size(), "every record wholly before cut " + k);
                    boolean boundary = k > 0 && isBoundary(f, all, k);
                    assertEquals(boundary, r.error() == null, "clean end exactly at boundaries, cut " + k
                            + (r.error() == null ? "" : ": " + r.error().getMessage()));
                }
            }
        });
    }

    @Test
    void truncatedGzipGivesAPrefixAndAnError() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (byte[] f : FILES) {
                List<Rec> all = Records.read(f).records();
                byte[] gz = CaptureBuilder.gzip(f);
                for (int k = 0; k < gz.length; k++) {
                    Result r = Records.read(Arrays.copyOf(gz, k));
                    assertEquals(all.subList(0, r.records().size()), r.records());
                    assertTrue(r.error() != null, "a gzip stream cut at " + k + " is damage");
                }
            }
        });
    }

    @Test
    void oneByteAtATimeReadsTheSame() throws IOException {
        for (byte[] f : FILES) {
            Result whole = Records.read(f);
            for (int chunk : new int[] {1, 2, 3, 7, 64}) {
                Result r = Records.read(new Records.Throttled(f, chunk));
                assertNull(r.error());
                assertEquals(whole.records(), r.records());
                Result z = Records.read(new Records.Throttled(CaptureBuilder.gzip(f), chunk));
                assertNull(z.error());
                assertEquals(whole.records(), z.records());
            }
        }
    }

    @Test
    void bitFlipsAnywhereNeverEscapeOrHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (byte[] f : FILES) {
                for (byte[] src : new byte[][] {f, CaptureBuilder.gzip(f)}) {
                    for (int i = 0; i < src.length * 8; i++) {
                        byte[] g = src.clone();
                        g[i / 8] ^= (byte) (1 << (i % 8));
                        Records.read(g);
                        Records.read(new Records.Throttled(g, 5));
                    }
                }
            }
        });
    }

    @Test
    void randomBytesBehindEveryMagicNeverEscapeOrHang() {
        Random rnd = new Random(20240611);
        byte[][] magics = {{(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d},
            {0x0a, 0x0d, 0x0d, 0x0a}, {0x1f, (byte) 0x8b, 8, 0}, {}};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int n = 0; n < 4000; n++) {
                byte[] m = magics[n % magics.length];
                byte[] g = new byte[m.length + rnd.nextInt(400)];
                rnd.nextBytes(g);
                System.arraycopy(m, 0, g, 0, m.length);
                if (m.length == 4 && m[0] == 0x0a && g.length > 12) {
                    // a plausible section header so that the block walk is reached
                    g[8] = 0x4d;
                    g[9] = 0x3c;
                    g[10] = 0x2b;
                    g[11] = 0x1a;
                    g[4] = 28;
                    g[5] = g[6] = g[7] = 0;
                }
                Records.read(g);
            }
            // and valid files with random tails
            for (byte[] f : FILES) {
                for (int n = 0; n < 300; n++) {
                    byte[] tail = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(tail);
                    Records.read(DamageTest.cat(f, tail));
                }
            }
        });
    }

    /** Offset just past the record (pcap) or block (pcapng) holding {@code r}. */
    private static long end(byte[] file, Rec r) {
        if (file[0] != 0x0a) {
            return r.fileOffset() + 16 + r.capLen();
        }
        for (int[] b : blocks(file)) {
            if (b[0] == r.fileOffset()) {
                return b[0] + b[1];
            }
        }
        throw new AssertionError("no block at " + r.fileOffset());
    }

    /** Whether {@code k} is the end of a record, of a block or of the pcap file header. */
    private static boolean isBoundary(byte[] f, List<Rec> all, int k) {
        if (f[0] != 0x0a) {
            return k == 24 || all.stream().anyMatch(x -> end(f, x) == k);
        }
        return blocks(f).stream().anyMatch(b -> b[0] + b[1] == k);
    }

    /** (offset, length) of every pcapng block, following each section's byte order. */
    private static List<int[]> blocks(byte[] f) {
        List<int[]> out = new java.util.ArrayList<>();
        boolean le = true;
        for (int o = 0; o < f.length; ) {
            if (f[o] == 0x0a && f[o + 1] == 0x0d) {
                le = f[o + 8] == 0x4d;
            }
            int len = le ? (f[o + 4] & 0xFF) | (f[o + 5] & 0xFF) << 8 : (f[o + 6] & 0xFF) << 8 | (f[o + 7] & 0xFF);
            out.add(new int[] {o, len});
            o += len;
        }
        return out;
    }
}
