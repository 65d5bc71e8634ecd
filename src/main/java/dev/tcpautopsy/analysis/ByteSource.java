package dev.tcpautopsy.analysis;

import java.nio.charset.StandardCharsets;

/** Reads what a {@link ByteSink} wrote, from {@code buf[pos ..)}; the caller bounds it. */
final class ByteSource {
    byte[] buf;
    int pos;

    ByteSource at(byte[] b, int p) {
        buf = b;
        pos = p;
        return this;
    }

    int readByte() {
        return buf[pos++];
    }

    boolean readBoolean() {
        return buf[pos++] != 0;
    }

    long readLong() {
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

    int readInt() {
        return (int) readLong();
    }

    double readDouble() {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    String readString(String[] known) {
        long n = readLong();
        if (n == -1) {
            return null;
        }
        if (n < -1) {
            return known[(int) (-2 - n)];
        }
        int len = (int) (n >>> 1);
        // one byte a character means ASCII (an unpaired surrogate was written as '?')
        String s = new String(buf, pos, len, (n & 1) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos += len;
        return s;
    }
}
