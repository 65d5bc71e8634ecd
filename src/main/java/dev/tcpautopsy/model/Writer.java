package dev.tcpautopsy.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The primitives of {@link FlowEncoder}, into a growable array that {@link #reset} keeps; {@link Reader} reads them. */
final class Writer {
    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        for (int i = 0; i < FlowEncoder.KNOWN.length; i++) {
            CODES.put(FlowEncoder.KNOWN[i], i);
        }
    }

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

    /** A long, zigzag-encoded (so that -1 is small too), seven bits a byte. */
    void writeLong(long v) {
        long z = (v << 1) ^ (v >> 63);
        room(10);
        // locals in the loop: the quick compiler loads and stores a field on every use
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
     * A string: -1 for null, {@code -2 - code} for one of {@link FlowEncoder#KNOWN}, else eight times its
     * UTF-8 length plus its {@link #textBits} (what the formats would otherwise look for in every byte), then
     * the bytes. An ASCII string goes straight from its characters, no byte array between.
     */
    void writeString(String s) {
        if (s == null) {
            writeLong(-1);
            return;
        }
        Integer code = s.length() <= FlowEncoder.MAX_CODED ? CODES.get(s) : null;
        if (code != null) {
            writeLong(-2 - code);
            return;
        }
        int n = s.length();
        int start = len;
        // the bits sit in the first byte of the length, whatever they are: written once known
        writeLong(8L * n);
        room(n);
        byte[] b = buf;
        int at = len, i = 0, bits = FlowEncoder.ASCII | FlowEncoder.JSON_PLAIN | FlowEncoder.CSV_PLAIN;
        for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) {
            b[at + i] = (byte) c;
            if (c < 0x20 || c == '"' || c == '\\' || c == ',') {
                bits &= ~(c == ',' ? FlowEncoder.CSV_PLAIN : c == '"' || c == '\n' || c == '\r'
                        ? FlowEncoder.JSON_PLAIN | FlowEncoder.CSV_PLAIN : FlowEncoder.JSON_PLAIN);
            }
        }
        if (i == n) {
            b[start] |= (byte) (bits << 1);
            len = at + n;
            return;
        }
        // not ASCII: its length again, as UTF-8's; an unpaired surrogate becomes '?', as the JDK's encoder makes it
        len = start;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeLong(8L * utf8.length + textBits(utf8, 0, utf8.length));
        room(utf8.length);
        System.arraycopy(utf8, 0, buf, len, utf8.length);
        len += utf8.length;
    }

    /** {@link FlowEncoder#ASCII}, {@link FlowEncoder#JSON_PLAIN} and {@link FlowEncoder#CSV_PLAIN} of UTF-8 bytes. */
    static int textBits(byte[] b, int off, int n) {
        int bits = FlowEncoder.ASCII | FlowEncoder.JSON_PLAIN | FlowEncoder.CSV_PLAIN;
        for (int i = off; i < off + n; i++) {
            int c = b[i];
            if (c < 0) {
                bits &= ~FlowEncoder.ASCII;
            } else if (c < 0x20 || c == '"' || c == '\\') {
                bits &= ~FlowEncoder.JSON_PLAIN;
            }
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                bits &= ~FlowEncoder.CSV_PLAIN;
            }
        }
        return bits;
    }

    void strings(List<String> list) {
        writeLong(list.size());
        for (String s : list) {
            writeString(s);
        }
    }

    void instant(Instant t) {
        writeByte(t == null ? 0 : 1);
        if (t != null) {
            writeLong(t.getEpochSecond());
            writeLong(t.getNano());
        }
    }

    void instant(long epochNanos) {
        writeByte(1);
        writeLong(Math.floorDiv(epochNanos, 1_000_000_000L));
        writeLong(Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
