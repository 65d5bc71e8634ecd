package dev.tcpautopsy.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The primitives of {@link FlowEncoder}, into a growable array that {@link #reset} keeps; {@link Reader} reads them. */
final class Writer {
    /**
     * {@link FlowEncoder#KNOWN} by hash, open addressing: most strings written are no code (addresses, filters,
     * notes), and this answers that with the string's hash and a slot or two, where a {@code HashMap} made a
     * call on the key that the quick compiler cannot bind.
     */
    private static final String[] CODED = new String[128];
    private static final int[] CODE = new int[CODED.length];

    static {
        for (int i = 0; i < FlowEncoder.KNOWN.length; i++) {
            String k = FlowEncoder.KNOWN[i];
            int j = k.hashCode() & (CODED.length - 1);
            while (CODED[j] != null) {
                j = (j + 1) & (CODED.length - 1);
            }
            CODED[j] = k;
            CODE[j] = i;
        }
    }

    /** The code of {@code s} among {@link FlowEncoder#KNOWN}, or -1. */
    private static int code(String s) {
        int h = s.hashCode();
        for (int j = h & (CODED.length - 1); ; j = (j + 1) & (CODED.length - 1)) {
            String k = CODED[j];
            if (k == null) {
                return -1;
            }
            if (k == s || k.hashCode() == h && k.equals(s)) {
                return CODE[j];
            }
        }
    }

    byte[] buf = new byte[1024];
    int len;

    void reset() {
        len = 0;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            grow(n);
        }
    }

    /** Apart from {@link #room}, which the quick compiler then inlines into every write. */
    private void grow(int n) {
        buf = Arrays.copyOf(buf, Math.max(len + n, 2 * buf.length));
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
        int code = s.length() <= FlowEncoder.MAX_CODED ? code(s) : -1;
        if (code >= 0) {
            writeLong(-2 - code);
            return;
        }
        // the JDK copies a Latin-1 string's bytes as they are, faster than a loop of charAt in the quick
        // compiler; characters above Latin-1 become '?', told from a real one by looking at those only
        byte[] latin = s.getBytes(StandardCharsets.ISO_8859_1);
        int n = latin.length;
        int bits = FlowEncoder.JSON_PLAIN | FlowEncoder.CSV_PLAIN;
        for (int i = 0; i < n; i++) {
            byte c = latin[i];
            if (c < 0x30 || c == '\\' || c == '?') {
                // only these few bytes matter (the others are ASCII letters, digits and the like)
                if (c < 0 || c == '?' && s.charAt(i) != '?') {
                    bits = -1;
                    break;
                }
                if (c == ',') {
                    bits &= ~FlowEncoder.CSV_PLAIN;
                } else if (c == '"' || c == '\n' || c == '\r') {
                    bits &= ~(FlowEncoder.JSON_PLAIN | FlowEncoder.CSV_PLAIN);
                } else if (c < 0x20 || c == '\\') {
                    bits &= ~FlowEncoder.JSON_PLAIN;
                }
            }
        }
        if (bits >= 0) {
            write(latin, 8L * n + (bits | FlowEncoder.ASCII));
            return;
        }
        // not ASCII; an unpaired surrogate becomes '?', as the JDK's encoder makes it
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        write(utf8, 8L * utf8.length + textBits(utf8, 0, utf8.length));
    }

    private void write(byte[] b, long header) {
        writeLong(header);
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
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
        for (int i = 0; i < list.size(); i++) {
            writeString(list.get(i));
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
