package dev.tcpautopsy.capture;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a buffer ahead on another thread gives the reader exactly what reading on its own thread
 * gives: the same bytes at the same offsets, the same damage after the same good records.
 */
class ReadAheadTest {
    private static final String THREAD = "read-ahead-test";

    /** A source that hands out random amounts, and fails with {@code failure} after {@code failAt} bytes. */
    private static final class Uneven implements Source {
        private final byte[] data;
        private final Random rnd;
        private final int failAt;
        private final IOException failure;
        private int pos;

        Uneven(byte[] data, long seed, int failAt, IOException failure) {
            this.data = data;
            this.rnd = new Random(seed);
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int end = Math.min(data.length, failAt);
            if (pos >= end) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + rnd.nextInt(40_000)), end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long consumed() {
            return pos;
        }

        @Override
        public void close() {
        }
    }

    /** Requests of random sizes (some far larger than a buffer), consumed or skipped; what each saw. */
    private static List<String> walk(ByteInput in, long seed) {
        Random rnd = new Random(seed);
        List<String> seen = new ArrayList<>();
        try {
            for (int step = 0; step < 2_000; step++) {
                int n = rnd.nextInt(10) == 0 ? 70_000 + rnd.nextInt(300_000) : 1 + rnd.nextInt(3_000);
                if (rnd.nextInt(5) == 0) {
                    long at = in.offset();
                    boolean all = in.skip(n);
                    seen.add("skip " + at + " " + all);
                    if (!all) {
                        break;
                    }
                    continue;
                }
                long at = in.offset();
                boolean all = in.request(n);
                int k = Math.min(n, in.available());
                seen.add("req " + at + " " + all + " " + Arrays.hashCode(Arrays.copyOfRange(in.buf, in.pos, in.pos + k)));
                in.pos += k;
                if (!all) {
                    break;
                }
            }
        } catch (IOException e) {
            seen.add("failed at " + in.offset() + ": " + e.getMessage());
        }
        return seen;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void theSameBytesAtTheSameOffsetsWhateverTheRequests() throws IOException {
        byte[] data = random(6_000_000, 1);
        for (long seed = 1; seed <= 4; seed++) {
            List<String> direct = walk(new ByteInput(new Uneven(data, seed, Integer.MAX_VALUE, null), 4096), seed);
            List<String> ahead;
            try (ByteInput in = new ByteInput(new Uneven(data, seed, Integer.MAX_VALUE, null), 50_000, THREAD)) {
                ahead = walk(in, seed);
            }
            assertTrue(direct.size() > 100, direct.size() + " steps");
            assertEquals(direct, ahead, "seed " + seed);
        }
    }

    @Test
    void aFailureComesAfterTheBytesReadBeforeIt() throws IOException {
        byte[] data = random(1_000_000, 2);
        IOException boom = new IOException("disk gone");
        List<String> direct = walk(new ByteInput(new Uneven(data, 7, 654_321, boom), 4096), 9);
        List<String> ahead;
        try (ByteInput in = new ByteInput(new Uneven(data, 7, 654_321, boom), 100_000, THREAD)) {
            ahead = walk(in, 9);
        }
        assertTrue(direct.get(direct.size() - 1).endsWith("disk gone"), direct.get(direct.size() - 1));
        assertEquals(direct, ahead);
    }

    @Test
    void gzipDamageIsReportedAsWhenReadDirectly() throws IOException {
        byte[] pcap = CaptureBuilder.pcap(true, false, 1).record(1, 0, CaptureFormatsTest.P1)
                .record(2, 0, CaptureFormatsTest.P1).record(3, 0, CaptureFormatsTest.P1).done();
        byte[] gz = CaptureBuilder.gzip(pcap);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        byte[] corrupt = gz.clone();
        corrupt[corrupt.length - 12] ^= 0x5A;
        byte[] empty = CaptureBuilder.gzip(new byte[0]);
        byte[] twoMembers = Arrays.copyOf(gz, gz.length + empty.length);
        System.arraycopy(empty, 0, twoMembers, gz.length, empty.length);
        byte[][] cases = {gz, twoMembers, badCrc, corrupt, Arrays.copyOf(gz, gz.length - 9), Arrays.copyOf(gz, gz.length / 2)};
        for (byte[] file : cases) {
            String direct = describe(file, null);
            assertEquals(direct, describe(file, THREAD));
        }
        assertTrue(describe(badCrc, THREAD).contains("CRC-32"), describe(badCrc, THREAD));
        assertTrue(describe(gz, THREAD).startsWith("3 records"), describe(gz, THREAD));
    }

    @Test
    void aPlainCaptureReadAheadGivesWhatReadingDirectlyGives() throws IOException {
        CaptureBuilder b = CaptureBuilder.pcap(true, false, 1);
        for (int i = 0; i < 300; i++) {
            b.record(i, 0, CaptureFormatsTest.P1);
        }
        byte[] pcap = b.done();
        byte[][] cases = {pcap, Arrays.copyOf(pcap, pcap.length - 7), Arrays.copyOf(pcap, pcap.length / 3), Arrays.copyOf(pcap, 30)};
        for (byte[] file : cases) {
            String direct = describe(file, null, null);
            assertEquals(direct, describe(file, null, THREAD + "-plain"), file.length + " bytes");
            assertEquals(direct, describe(file, THREAD, null), "a plain capture is not inflated ahead");
        }
        assertTrue(describe(pcap, null, THREAD + "-plain").startsWith("300 records"));
        byte[] gz = CaptureBuilder.gzip(pcap);
        assertEquals(describe(gz, null, null), describe(gz, null, THREAD + "-plain"), "nor a compressed one read ahead unless asked to inflate ahead");
    }

    /** The records (frame, offset, bytes) and the error of a whole read. */
    private static String describe(byte[] file, String ahead) throws IOException {
        return describe(file, ahead, null);
    }

    /** As {@link #describe(byte[], String)}, with a plain capture read ahead by a thread named {@code plainAhead}. */
    private static String describe(byte[] file, String ahead, String plainAhead) throws IOException {
        StringBuilder s = new StringBuilder();
        int n = 0;
        CaptureReader r;
        try {
            r = Captures.open(new StreamSource(new ByteArrayInputStream(file)), new CaptureLimits(4096, 1 << 16, 256), ahead,
                    plainAhead);
        } catch (CaptureFormatException e) {
            return "not opened: " + e.getMessage() + " @" + e.offset();
        }
        try (r) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                n++;
                s.append(' ').append(rec.frame).append('@').append(rec.fileOffset).append('#')
                        .append(Arrays.hashCode(Arrays.copyOfRange(rec.buf, rec.off, rec.off + rec.capLen)));
            }
        } catch (CaptureFormatException e) {
            s.append(" error ").append(e.getMessage()).append(" @").append(e.offset());
        }
        return n + " records" + s;
    }

    @Test
    void closingStopsTheThreadMidway() throws IOException, InterruptedException {
        byte[] data = random(3_000_000, 3);
        ByteInput in = new ByteInput(new Uneven(data, 5, Integer.MAX_VALUE, null), 64, THREAD + "-close");
        assertTrue(in.request(1000));
        in.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (alive(THREAD + "-close") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(alive(THREAD + "-close"), "the read-ahead thread ended");
    }

    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void aRequestLargerThanTheRoomInFrontGathersAcrossBuffers() throws IOException {
        byte[] data = random(2_000_000, 4);
        try (ByteInput in = new ByteInput(new Uneven(data, 6, Integer.MAX_VALUE, null), 30_000, THREAD)) {
            assertTrue(in.request(10));
            in.pos += 7;
            assertTrue(in.request(1_500_000));
            assertEquals(7, in.offset());
            assertArrayEquals(Arrays.copyOfRange(data, 7, 1_500_007), Arrays.copyOfRange(in.buf, in.pos, in.pos + 1_500_000));
            in.pos += 1_500_000;
            assertFalse(in.request(600_000));
            assertEquals(2_000_000 - 1_500_007, in.available());
        }
    }
}
