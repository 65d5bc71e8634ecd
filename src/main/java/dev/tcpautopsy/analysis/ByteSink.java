package dev.tcpautopsy.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A growable byte array written with the few primitives the flow codec needs: variable-length
 * integers (small numbers, the most common, take one byte), doubles, and strings as UTF-8 with their
 * length. Reused: {@link #reset} keeps the array.
 */
final class ByteSink {
    byte[] buf = new byte[1024];
    int len;

    void reset() {
        len = 0;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, 2 * buf.length));
        }
    }

    void writeByte(int v) {
        room(1);
        buf[len++] = (byte) v;
    }

    void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    /** A long, zigzag-encoded (so that -1 is small too), seven bits a byte. */
    void writeLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        room(10);
        // locals in the loop, as in ByteSource.readLong
        byte[] b = buf;
        int n = len;
        while ((z & ~0x7FL) != 0) {
            b[n++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        b[n++] = (byte) z;
        len = n;
    }

    void writeDouble(double v) {
        long bits = Double.doubleToRawLongBits(v);
        room(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (bits >>> (8 * i));
        }
    }

    /**
     * A string: -1 for null, {@code -2 - code} for one of {@code codes}, else twice its UTF-8 length, plus
     * one when that is one byte a character (ASCII: read back without the decoder's scan for
     * non-ASCII bytes, which the reports' threads paid on every string), and the bytes.
     */
    void writeString(String s, Map<String, Integer> codes) {
        if (s == null) {
            writeLong(-1);
            return;
        }
        Integer code = s.length() <= MAX_CODED ? codes.get(s) : null;
        if (code != null) {
            writeLong(-2 - code);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeLong(2L * b.length + (b.length == s.length() ? 1 : 0));
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Strings longer than this are never looked up among the codes. */
    static final int MAX_CODED = 32;
}
