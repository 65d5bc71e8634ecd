package dev.tcpautopsy.findings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The idle durations before one endpoint's closes, in bounded memory: a histogram of bins 2 % wide (at most
 * {@value #MAX_BINS}), each with its exact count and smallest and largest value, and the first durations with their streams (at most {@value #KEPT}, fewer when the {@link Budget}
 * shared by all endpoints runs out), from which a timer's streams are listed.
 */
final class Durations {
    /**
     * Shorter pauses are no timer anyone sets (idle timers are set in seconds; a close within a second of a
     * message mostly answers it), give or take the 5 % a capture point off the closer's host may measure.
     */
    static final long FLOOR_NANOS = 950_000_000L;
    static final int KEPT = 1000;
    /** Bins an endpoint keeps (a factor of 150 between its shortest and longest durations); later ones count in the total only. */
    static final int MAX_BINS = 256;
    private static final double LOG_STEP = Math.log(1.02);

    /** The durations kept with their streams, all endpoints of a capture together. */
    static final class Budget {
        private long left;

        Budget(long left) {
            this.left = left;
        }
    }

    /** A timer: durations that gather in one window, their exact count, extremes and streams. */
    record Cluster(long count, long minNanos, long maxNanos, Group streams) {
    }

    private final Budget budget;
    private int[] bins = new int[4];
    private int[] counts = new int[4];
    private long[] mins = new long[4], maxs = new long[4];
    private int size;
    private long total;
    private long[] keptStreams = new long[0], keptNanos = new long[0];
    private int kept;

    Durations(Budget budget) {
        this.budget = budget;
    }

    long total() {
        return total;
    }

    /** Gives the durations it kept back to the budget: it is being dropped. */
    void release() {
        budget.left += kept;
        kept = 0;
    }

    void add(long stream, long nanos) {
        if (nanos < FLOOR_NANOS) {
            return;
        }
        total++;
        int bin = bin(nanos);
        int at = Arrays.binarySearch(bins, 0, size, bin);
        if (at < 0) {
            if (size == MAX_BINS) {
                return;
            }
            at = -at - 1;
            if (size == bins.length) {
                int m = size * 2;
                bins = Arrays.copyOf(bins, m);
                counts = Arrays.copyOf(counts, m);
                mins = Arrays.copyOf(mins, m);
                maxs = Arrays.copyOf(maxs, m);
            }
            System.arraycopy(bins, at, bins, at + 1, size - at);
            System.arraycopy(counts, at, counts, at + 1, size - at);
            System.arraycopy(mins, at, mins, at + 1, size - at);
            System.arraycopy(maxs, at, maxs, at + 1, size - at);
            bins[at] = bin;
            counts[at] = 0;
            mins[at] = Long.MAX_VALUE;
            maxs[at] = Long.MIN_VALUE;
            size++;
        }
        counts[at]++;
        mins[at] = Math.min(mins[at], nanos);
        maxs[at] = Math.max(maxs[at], nanos);
        if (kept < KEPT && budget.left > 0) {
            if (kept == keptStreams.length) {
                int m = Math.min(KEPT, Math.max(8, kept * 2));
                keptStreams = Arrays.copyOf(keptStreams, m);
                keptNanos = Arrays.copyOf(keptNanos, m);
            }
            keptStreams[kept] = stream;
            keptNanos[kept] = nanos;
            kept++;
            budget.left--;
        }
    }

    static int bin(long nanos) {
        return (int) Math.floor(Math.log((double) nanos / FLOOR_NANOS) / LOG_STEP);
    }

    /**
     * How far above its shortest duration a timer's closes may spread: 5 %, and the granularity of a timer
     * checked now and then (Redis looks at idle clients about once a second), at most 40 % of the duration.
     */
    static long reach(long nanos) {
        return nanos + nanos / 20 + Math.min(1_100_000_000L, nanos * 2 / 5);
    }

    /**
     * The timers among the durations: the window (from one bin's shortest duration to its {@link #reach})
     * holding the most closes, if it holds at least {@code minCount} (or two within 1 % of each other: two
     * closes after the same idle time to the millisecond are no coincidence) and a third of them all; then,
     * once, the same among the other bins with a quarter of them all.
     */
    List<Cluster> clusters(int minCount) {
        List<Cluster> out = new ArrayList<>();
        boolean[] used = new boolean[size];
        for (int round = 0; round < 2; round++) {
            int bestFrom = -1, bestTo = -1;
            long best = 0;
            for (int i = 0; i < size; i++) {
                if (used[i]) {
                    continue;
                }
                long limit = reach(mins[i]);
                long n = 0;
                int j = i;
                for (; j < size && !used[j] && mins[j] <= limit; j++) {
                    n += counts[j];
                }
                if (n > best) {
                    best = n;
                    bestFrom = i;
                    bestTo = j;
                }
            }
            long share = round == 0 ? (total + 2) / 3 : (total + 3) / 4;
            if (bestFrom < 0 || best < share) {
                break;
            }
            long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
            for (int k = bestFrom; k < bestTo; k++) {
                lo = Math.min(lo, mins[k]);
                hi = Math.max(hi, maxs[k]);
            }
            if (best < minCount && !(best == 2 && (hi - lo) * 100 <= lo)) {
                break;
            }
            for (int k = bestFrom; k < bestTo; k++) {
                used[k] = true;
            }
            out.add(new Cluster(best, lo, hi, streamsIn(bins[bestFrom], bins[bestTo - 1], best)));
        }
        return out;
    }

    /** The kept streams whose durations fall into bins {@code from..to}; the count is the histogram's, exact. */
    private Group streamsIn(int from, int to, long count) {
        Group g = new Group();
        for (int i = 0; i < kept; i++) {
            int b = bin(keptNanos[i]);
            if (b >= from && b <= to) {
                g.add(keptStreams[i]);
            }
        }
        return g.withCount(count);
    }
}
