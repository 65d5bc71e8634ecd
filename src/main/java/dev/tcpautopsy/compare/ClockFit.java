package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two capture clocks, from segments seen at both points. A segment going from A to B shows B's
 * clock minus A's plus the time on the way, one going from B to A that minus the time on the way; queues
 * only ever add time. So the offset lies between the least delay seen from A to B and the greatest seen
 * from B to A, and is taken midway (as NTP does with its four timestamps), after the drift (the slope of
 * the delays' envelopes over time) is taken out.
 */
final class ClockFit {
    /** Fewer samples, or a shorter span, give no drift: the slope would be noise. */
    private static final int DRIFT_SAMPLES = 20;
    private static final long DRIFT_SPAN = 1_000_000_000L;
    /** Spans of time whose delay envelopes give the drift. */
    private static final int BINS = 20;

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
        double slope = n >= DRIFT_SAMPLES && t1 - t0 >= DRIFT_SPAN ? slope(tA, tB, aToB, t0, t1, medUp, medDown) : 0;
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

    /**
     * The drift: in each of up to {@value #BINS} spans of time, the offset midway between the least delay from A
     * to B and the greatest from B to A (queues only add time, so these envelopes follow the clocks, not the
     * queues); a straight line through those midpoints. With too few spans that see both directions, the line
     * through all delays, each direction about its own median.
     */
    private static double slope(long[] tA, long[] tB, boolean[] aToB, long t0, long t1, double medUp, double medDown) {
        int bins = (int) Math.min(BINS, tA.length / 10);
        double[] up = new double[bins], down = new double[bins];
        java.util.Arrays.fill(up, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(down, Double.NEGATIVE_INFINITY);
        double width = (double) (t1 - t0 + 1) / bins;
        for (int i = 0; i < tA.length; i++) {
            int k = (int) ((tA[i] - t0) / width);
            double d = tB[i] - tA[i];
            if (aToB[i]) {
                up[k] = Math.min(up[k], d);
            } else {
                down[k] = Math.max(down[k], d);
            }
        }
        List<double[]> mids = new ArrayList<>();
        for (int k = 0; k < bins; k++) {
            if (!Double.isInfinite(up[k]) && !Double.isInfinite(down[k])) {
                mids.add(new double[] {(k + 0.5) * width, (up[k] + down[k]) / 2});
            }
        }
        if (mids.size() < 3) {
            for (int i = 0; i < tA.length; i++) {
                mids.add(new double[] {tA[i] - t0, tB[i] - tA[i] - (aToB[i] ? medUp : medDown)});
            }
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] m : mids) {
            sx += m[0];
            sy += m[1];
            sxx += m[0] * m[0];
            sxy += m[0] * m[1];
        }
        int m = mids.size();
        double den = m * sxx - sx * sx;
        return den == 0 ? 0 : (m * sxy - sx * sy) / den;
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
