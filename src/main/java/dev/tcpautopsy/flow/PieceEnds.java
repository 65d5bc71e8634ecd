package dev.tcpautopsy.flow;

import java.util.Arrays;

/**
 * The ends of the pieces of a capture made of several merged ones: the time of the last frame before
 * each silence of the whole capture longer than an hour, in capture order. Each is a capture end for
 * the connections that fell silent before it (spec: <em>capture end</em>). Bounded: past
 * {@value #MAX} pieces the oldest are forgotten, their connections long judged.
 */
final class PieceEnds {
    static final int MAX = 1024;
    private long[] ends = new long[4];
    private int n;

    void add(long end) {
        if (n == MAX) {
            System.arraycopy(ends, 1, ends, 0, n - 1);
            n--;
        } else if (n == ends.length) {
            ends = Arrays.copyOf(ends, n * 2);
        }
        ends[n++] = end;
    }

    /** The first piece end at or after {@code last}, or {@code otherwise} when none comes before it. */
    long after(long last, long otherwise) {
        int i = Arrays.binarySearch(ends, 0, n, last);
        int at = i >= 0 ? i : -i - 1;
        return at < n && ends[at] < otherwise ? ends[at] : otherwise;
    }
}
