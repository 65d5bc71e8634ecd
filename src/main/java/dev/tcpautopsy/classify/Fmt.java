package dev.tcpautopsy.classify;

import java.util.Locale;

/** Numbers as a reason writes them: seconds with sensible precision, byte counts, frames. */
final class Fmt {
    private Fmt() {
    }

    /** {@code 3.2 s}, {@code 0.21 s}, {@code 45 ms}, {@code 140 us}. */
    static String secs(long nanos) {
        if (nanos < 1_000_000L) {
            return Math.round(nanos / 1e3) + " us";
        }
        if (nanos < 100_000_000L) {
            return Math.round(nanos / 1e6) + " ms";
        }
        return secsBare(nanos) + " s";
    }

    /** Seconds without unit: two decimals below 10 s, one below 100 s, none above. */
    static String secsBare(long nanos) {
        double s = nanos / 1e9;
        if (s < 10) {
            return String.format(Locale.ROOT, "%.2f", s);
        }
        return s < 100 ? String.format(Locale.ROOT, "%.1f", s) : String.format(Locale.ROOT, "%.0f", s);
    }

    /** {@code 1 byte}, {@code 312 bytes}. */
    static String bytes(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    /** {@code 1 time}, {@code 5 times}. */
    static String times(long n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }
}
