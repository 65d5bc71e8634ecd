package dev.tcpautopsy.classify;

import java.util.Locale;

/** Numbers as a reason writes them: seconds with sensible precision, byte counts, frames. */
public final class Fmt {
    private Fmt() {
    }

    /** {@code 3.2 s}, {@code 0.21 s}, {@code 45 ms}, {@code 140 us}. */
    public static String secs(long nanos) {
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
        int places = s < 10 ? 2 : s < 100 ? 1 : 0;
        String fast = halfUp(nanos, places);
        if (fast != null) {
            return fast;
        }
        return String.format(Locale.ROOT, places == 2 ? "%.2f" : places == 1 ? "%.1f" : "%.0f", s);
    }

    /**
     * {@code nanos / 1e9} rounded half up to {@code places} decimals in integer arithmetic, or null
     * where that might differ from {@code String.format}: the formatter rounds the shortest decimal of
     * the double, which lies within 2^-52 of it, so only an exact tie (or a negative or huge value)
     * could round differently; those go to the formatter.
     */
    static String halfUp(long nanos, int places) {
        long unit = places == 2 ? 10_000_000L : places == 1 ? 100_000_000L : 1_000_000_000L;
        if (nanos < 0 || nanos >= 1_000_000_000_000_000L || nanos % unit == unit / 2) {
            return null;
        }
        long q = (nanos + unit / 2) / unit;
        if (places == 0) {
            return Long.toString(q);
        }
        long scale = places == 2 ? 100 : 10;
        long frac = q % scale;
        return q / scale + (places == 2 && frac < 10 ? ".0" : ".") + frac;
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
