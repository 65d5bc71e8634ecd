package dev.tcpautopsy.capture;

import java.util.Arrays;

/** The interfaces of the current pcapng section, with their timestamp conversion precomputed. */
final class Interfaces {
    private static final long NANOS = 1_000_000_000L;

    int count;
    int[] linkType = new int[4];
    int[] snaplen = new int[4];
    /** ticks * mul / div, or (base 2) ticks * 1e9 >> shift when shift >= 0. */
    private long[] mul = new long[4];
    private long[] div = new long[4];
    private int[] shift = new int[4];
    private long[] offsetNanos = new long[4];

    void add(int lt, int snap, int tsresol, long tsoffsetSeconds) {
        if (count == linkType.length) {
            int n = count * 2;
            linkType = Arrays.copyOf(linkType, n);
            snaplen = Arrays.copyOf(snaplen, n);
            mul = Arrays.copyOf(mul, n);
            div = Arrays.copyOf(div, n);
            shift = Arrays.copyOf(shift, n);
            offsetNanos = Arrays.copyOf(offsetNanos, n);
        }
        int i = count++;
        linkType[i] = lt;
        snaplen[i] = snap;
        offsetNanos[i] = tsoffsetSeconds * NANOS;
        int exp = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            // if_tsresol with the high bit set: units of 2^-exp seconds
            mul[i] = 1;
            div[i] = 1;
            shift[i] = exp;
        } else {
            // units of 10^-exp seconds; beyond 10^-27 every tick rounds to 0 ns
            shift[i] = -1;
            mul[i] = exp <= 9 ? pow10(9 - exp) : 1;
            div[i] = exp <= 9 ? 1 : exp - 9 <= 18 ? pow10(exp - 9) : Long.MAX_VALUE;
        }
    }

    /** Nanoseconds since the epoch for a raw 64-bit timestamp (unsigned ticks) of interface i. */
    long toNanos(int i, long ticks) {
        int s = shift[i];
        long base;
        if (s < 0) {
            long d = div[i];
            base = d == 1 ? ticks * mul[i] : Long.divideUnsigned(ticks, d);
        } else {
            base = shifted(ticks, s);
        }
        return base + offsetNanos[i];
    }

    /** (ticks * 1e9) >> s over 128 bits, ticks unsigned. */
    private static long shifted(long ticks, int s) {
        long lo = ticks * NANOS;
        long hi = Math.multiplyHigh(ticks, NANOS) + ((ticks >> 63) & NANOS); // unsigned high half
        if (s == 0) {
            return lo;
        }
        if (s < 64) {
            return hi << (64 - s) | lo >>> s;
        }
        return s - 64 < 64 ? hi >>> (s - 64) : 0;
    }

    private static long pow10(int e) {
        long v = 1;
        for (int k = 0; k < e; k++) {
            v *= 10;
        }
        return v;
    }
}
