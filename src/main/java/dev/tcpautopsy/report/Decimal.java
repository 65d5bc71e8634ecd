package dev.tcpautopsy.report;

/**
 * A long's decimal digits written straight into a byte buffer, for the writers that put millions of
 * numbers into a report (no String per number).
 */
public final class Decimal {
    /** The most bytes {@link #put} writes. */
    public static final int MAX = 20;

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
        do {
            int q = x / 10;
            b[--p] = (byte) ('0' + x - q * 10);
            x = q;
        } while (x != 0);
        return end;
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
