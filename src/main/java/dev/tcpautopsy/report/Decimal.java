package dev.tcpautopsy.report;

/**
 * A long's decimal digits written straight into a byte buffer, for the writers that put millions of
 * numbers into a report (no String per number).
 */
public final class Decimal {
    /** The most bytes {@link #put} writes. */
    public static final int MAX = 20;
    /** "00" to "99": the two digits of each number below 100. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private Decimal() {
    }

    /**
     * Writes {@code v} at {@code at} and returns the index after it; {@code b} has room for
     * {@link #MAX} bytes there. Byte for byte {@code Long.toString(v)}.
     */
    public static int put(byte[] b, int at, long v) {
        if (v == Long.MIN_VALUE) {
            byte[] s = Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, b, at, s.length);
            return at + s.length;
        }
        if (v < 0) {
            b[at++] = '-';
            v = -v;
        }
        int end = at + digits(v);
        int p = end;
        // from the last digit, in long arithmetic only while the rest exceeds an int: the quick
        // compiler calls into the runtime for each long division
        while (v > Integer.MAX_VALUE) {
            long q = v / 10;
            b[--p] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        int x = (int) v;
        // two digits a division: half of them
        while (x >= 100) {
            int q = x / 100;
            int r = (x - q * 100) << 1;
            b[--p] = PAIRS[r + 1];
            b[--p] = PAIRS[r];
            x = q;
        }
        if (x >= 10) {
            b[--p] = PAIRS[(x << 1) + 1];
            b[--p] = PAIRS[x << 1];
        } else {
            b[--p] = (byte) ('0' + x);
        }
        return end;
    }

    /** Writes the two digits of {@code v} (0 to 99) at {@code b[at]}. */
    static void two(byte[] b, int at, int v) {
        b[at] = PAIRS[v << 1];
        b[at + 1] = PAIRS[(v << 1) + 1];
    }

    /** Writes {@code v} (not negative, below 10^{@code places}) as exactly {@code places} digits ending before {@code end}. */
    static void fixed(byte[] b, int end, int v, int places) {
        int p = end;
        for (; places >= 2; places -= 2) {
            int q = v / 100;
            int r = (v - q * 100) << 1;
            b[--p] = PAIRS[r + 1];
            b[--p] = PAIRS[r];
            v = q;
        }
        if (places == 1) {
            b[--p] = (byte) ('0' + v);
        }
    }

    /** Decimal digits of {@code v}, which is not negative. */
    private static int digits(long v) {
        int d = 1;
        for (long limit = 10; d < 19 && v >= limit; limit *= 10) {
            d++;
        }
        return d;
    }
}
