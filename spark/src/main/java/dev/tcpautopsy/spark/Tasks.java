package dev.tcpautopsy.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * How the series are dealt out to Spark's tasks. A task costs Spark some tens of milliseconds of its
 * own whatever it does, so a small capture does not get one to itself: the series are packed into
 * tasks of some {@link #TARGET_BYTES} (a series is never split: it is one analysis), but into at
 * least three tasks per core that the job has, so that the cores finish about together. The largest
 * series go first, each into the task with the fewest bytes so far, and the fullest tasks start first.
 */
final class Tasks {
    /** Bytes of captures a task is given when there are enough of them. */
    static final long TARGET_BYTES = 256L << 20;

    private Tasks() {
    }

    static List<List<Series>> pack(List<Series> series, int cores) {
        long total = series.stream().mapToLong(Series::bytes).sum();
        long wanted = Math.max(3L * Math.max(1, cores), (total + TARGET_BYTES - 1) / TARGET_BYTES);
        int n = (int) Math.max(1, Math.min(series.size(), wanted));
        List<Series> bySize = new ArrayList<>(series);
        bySize.sort(Comparator.comparingLong(Series::bytes).reversed());
        record Bin(List<Series> series, long[] bytes) {
        }
        PriorityQueue<Bin> bins = new PriorityQueue<>(Comparator.comparingLong((Bin b) -> b.bytes()[0])
                .thenComparingInt(b -> b.series().size()));
        for (int i = 0; i < n; i++) {
            bins.add(new Bin(new ArrayList<>(), new long[1]));
        }
        for (Series s : bySize) {
            Bin b = bins.poll();
            b.series().add(s);
            b.bytes()[0] += s.bytes();
            bins.add(b);
        }
        List<Bin> out = new ArrayList<>(bins);
        out.sort(Comparator.comparingLong((Bin b) -> b.bytes()[0]).reversed());
        return out.stream().map(b -> List.copyOf(b.series())).toList();
    }
}
