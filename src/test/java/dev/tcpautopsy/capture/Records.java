package dev.tcpautopsy.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a whole capture into copies of its records, keeping how the reading ended. */
public final class Records {
    /** One record, copied out of the reader's buffer. */
    public record Rec(long frame, long tsNanos, int linkType, int capLen, int wireLen, int iface, long fileOffset,
                      byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && r.frame == frame && r.tsNanos == tsNanos && r.linkType == linkType
                    && r.capLen == capLen && r.wireLen == wireLen && r.iface == iface && r.fileOffset == fileOffset
                    && Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(frame) * 31 + Arrays.hashCode(data);
        }
    }

    /** The records read and, when reading stopped early, why. */
    public record Result(List<Rec> records, CaptureFormatException error, String format, boolean compressed,
                         int[] linkTypes) {
    }

    private Records() {
    }

    public static Result read(byte[] file) throws IOException {
        return read(new ByteArrayInputStream(file));
    }

    /**
     * Reads everything; a {@link CaptureFormatException} (from open or next) ends the result,
     * any other exception escapes and fails the calling test.
     */
    public static Result read(InputStream in) throws IOException {
        List<Rec> out = new ArrayList<>();
        CaptureReader r;
        try {
            r = Captures.open(in, new CaptureLimits(4096, 1 << 16, 256));
        } catch (CaptureFormatException e) {
            return new Result(out, e, null, false, new int[0]);
        }
        try (r) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                out.add(new Rec(rec.frame, rec.tsNanos, rec.linkType, rec.capLen, rec.wireLen, rec.interfaceId,
                        rec.fileOffset, Arrays.copyOfRange(rec.buf, rec.off, rec.off + rec.capLen)));
            }
            return new Result(out, null, r.format(), r.compressed(), r.linkTypes());
        } catch (CaptureFormatException e) {
            return new Result(out, e, r.format(), r.compressed(), r.linkTypes());
        }
    }

    /** Hands out at most {@code chunk} bytes per read: readers must not assume full reads. */
    public static final class Throttled extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        public Throttled(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return 0; // like a pipe that has nothing buffered yet
        }
    }
}
