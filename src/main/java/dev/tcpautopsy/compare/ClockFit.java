package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;

import java.util.Arrays;

/**
 * The two capture clocks, from segments seen at both points. A segment going from A to B shows B's
 * clock minus A's plus the time on the way, one going from B to A that minus the time on the way; queues
 * only ever add time. So the offset lies between the least delay seen from A to B and the greatest seen
 * from B to A, and is taken midway (as NTP does with its four timestamps), after the drift (the slope of
 * the delays over time, each direction about its own median) is taken out.
 */
final class ClockFit {
    /** Fewer samples, or a shorter span, give no drift: the slope would be noise. */
    private static final int DRIFT_SAMPLES = 20;
    private static final long DRIFT_SPAN = 1_000_000_000L;

    final boolean known;
    /** Offset at {@link #t0}, nanoseconds; drift, nanoseconds per nanosecond; one-way time, nanoseconds. */
    final double offset, drift, oneWay;
    final long t0;
    final long samples;

    private ClockFit(boolean known, double offset, double drift, double oneWay, long t0, long samples) {
        this.known = known;
        this.offset = offset;
        this.drift = drift;
        this.oneWay = oneWay;
        this.t0 = t0;
        this.samples = samples;
    }

    static final ClockFit UNKNOWN = new ClockFit(false, 0, 0, 0, 0, 0);

    /**
     * @param tA     each sample's time at A
     * @param tB     its time at B
     * @param aToB   whether it went from A to B
     */
    static ClockFit of(long[] tA, long[] tB, boolean[] aToB) {
        int n = tA.length;
        if (n == 0) {
            return UNKNOWN;
        }
        long t0 = Arrays.stream(tA).min().getAsLong();
        long t1 = Arrays.stream(tA).max().getAsLong();
        double medUp = median(tA, tB, aToB, true), medDown = median(tA, tB, aToB, false);
        double slope = 0;
        if (n >= DRIFT_SAMPLES && t1 - t0 >= DRIFT_SPAN) {
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++) {
                double x = tA[i] - t0;
                double y = tB[i] - tA[i] - (aToB[i] ? medUp : medDown);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            double den = n * sxx - sx * sx;
            slope = den == 0 ? 0 : (n * sxy - sx * sy) / den;
        }
        double up = Double.POSITIVE_INFINITY, down = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double e = tB[i] - tA[i] - slope * (tA[i] - t0);
            if (aToB[i]) {
                up = Math.min(up, e);
            } else {
                down = Math.max(down, e);
            }
        }
        double offset, oneWay;
        if (Double.isInfinite(up)) {
            offset = down;
            oneWay = 0;
        } else if (Double.isInfinite(down)) {
            offset = up;
            oneWay = 0;
        } else {
            offset = (up + down) / 2;
            // below 0 the envelopes overlap: the two capture points' timestamps jitter more than the path takes
            oneWay = Math.max(0, (up - down) / 2);
        }
        return new ClockFit(true, offset, slope, oneWay, t0, n);
    }

    /** B's clock minus A's at A's time {@code tA}. */
    long offsetAt(long tA) {
        return Math.round(offset + drift * (tA - t0));
    }

    /** Expected B time minus A time of a segment seen at A at {@code tA}, going A to B or back. */
    long expect(long tA, boolean aToB) {
        return offsetAt(tA) + Math.round(aToB ? oneWay : -oneWay);
    }

    Comparison.Clock model() {
        return new Comparison.Clock(known, offset / 1e9, drift * 1e6, oneWay / 1e9, samples);
    }

    private static double median(long[] tA, long[] tB, boolean[] aToB, boolean up) {
        long[] d = new long[tA.length];
        int k = 0;
        for (int i = 0; i < tA.length; i++) {
            if (aToB[i] == up) {
                d[k++] = tB[i] - tA[i];
            }
        }
        if (k == 0) {
            return 0;
        }
        Arrays.sort(d, 0, k);
        return d[k / 2];
    }
}
