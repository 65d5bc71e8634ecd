package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.Finding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Connections gathered under one finding: their exact count and the first {@value Finding#MAX_STREAMS} streams. */
final class Group {
    private long count;
    private long[] streams = new long[4];
    private int kept;

    void add(long stream) {
        count++;
        if (kept < Finding.MAX_STREAMS) {
            if (kept == streams.length) {
                streams = Arrays.copyOf(streams, Math.min(Finding.MAX_STREAMS, kept * 2));
            }
            streams[kept++] = stream;
        }
    }

    void addAll(Group other) {
        for (int i = 0; i < other.kept; i++) {
            add(other.streams[i]);
        }
        count += other.count - other.kept;
    }

    /** The same streams as explaining {@code exact} connections in all (more than were kept). */
    Group withCount(long exact) {
        count = Math.max(count, exact);
        return this;
    }

    long count() {
        return count;
    }

    /** The kept streams in stream order. */
    List<Long> streams() {
        long[] sorted = Arrays.copyOf(streams, kept);
        Arrays.sort(sorted);
        List<Long> out = new ArrayList<>(kept);
        for (long s : sorted) {
            out.add(s);
        }
        return out;
    }
}
