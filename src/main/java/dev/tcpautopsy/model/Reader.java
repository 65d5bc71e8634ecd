package dev.tcpautopsy.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads what a {@link FlowEncoder} wrote, from {@code buf[pos ..)}; the caller bounds it. */
final class Reader {
    byte[] buf;
    int pos;

    Reader at(byte[] b, int p) {
        buf = b;
        pos = p;
        return this;
    }

    int readByte() {
        return buf[pos++];
    }

    long readLong() {
        // one byte (most lengths, counts and codes) in a method small enough for the quick compiler to
        // inline into every caller; longer ones in a call
        int x = buf[pos];
        if (x >= 0) {
            pos++;
            return small(x);
        }
        return readLonger();
    }

    /** A one-byte value, zigzag-decoded (apart, to keep {@link #readLong} within the inlining size). */
    private static int small(int z) {
        return z >>> 1 ^ -(z & 1);
    }

    private long readLonger() {
        // locals, not the fields, in the loop: the quick compiler loads and stores a field on every use
        byte[] b = buf;
        int p = pos;
        byte x = b[p++];
        long z = x & 0x7F;
        for (int shift = 7; x < 0; shift += 7) {
            x = b[p++];
            z |= (long) (x & 0x7F) << shift;
        }
        pos = p;
        return (z >>> 1) ^ -(z & 1);
    }

    /** The long at {@code b[p]}, read without a reader. */
    static long longAt(byte[] b, int p) {
        byte x = b[p++];
        long z = x & 0x7F;
        for (int shift = 7; x < 0; shift += 7) {
            x = b[p++];
            z |= (long) (x & 0x7F) << shift;
        }
        return (z >>> 1) ^ -(z & 1);
    }

    /** Where the long at {@code b[p]} ends. */
    static int skipLong(byte[] b, int p) {
        while (b[p++] < 0) {
            // continuation bytes
        }
        return p;
    }

    /** Where the string at {@code b[p]} ends. */
    static int skipString(byte[] b, int p) {
        long n = longAt(b, p);
        p = skipLong(b, p);
        return n >= 0 ? p + (int) (n >>> 3) : p;
    }

    double readDouble() {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    /** Points {@code t} at the next string's bytes (or at its code's), or makes it null. */
    Utf8Text text(Utf8Text t) {
        long n = readLong();
        if (n == -1) {
            return t.setNull();
        }
        if (n < -1) {
            int code = (int) (-2 - n);
            byte[] known = FlowEncoder.KNOWN_BYTES[code];
            return t.set(known, 0, known.length, FlowEncoder.KNOWN_BITS[code]);
        }
        int len = (int) (n >>> 3);
        t.set(buf, pos, len, (int) n & 7);
        pos += len;
        return t;
    }

    String string() {
        long n = readLong();
        if (n == -1) {
            return null;
        }
        if (n < -1) {
            return FlowEncoder.KNOWN[(int) (-2 - n)];
        }
        int len = (int) (n >>> 3);
        String s = new String(buf, pos, len, (n & FlowEncoder.ASCII) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    List<String> strings() {
        int n = (int) readLong();
        if (n == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string());
        }
        return out;
    }

    void skipString() {
        long len = readLong();
        if (len >= 0) {
            pos += (int) (len >>> 3);
        }
    }

    void skipStrings() {
        for (long n = readLong(); n > 0; n--) {
            skipString();
        }
    }

    /** Reads an instant into {@code into[at]} (seconds) and {@code into[at + 1]} (nanoseconds); false when null. */
    boolean instant(long[] into, int at) {
        if (readByte() == 0) {
            into[at] = 0;
            into[at + 1] = 0;
            return false;
        }
        into[at] = readLong();
        into[at + 1] = readLong();
        return true;
    }

    Instant instant() {
        return readByte() == 0 ? null : Instant.ofEpochSecond(readLong(), readLong());
    }
}
