package dev.tcpautopsy.analysis;

import java.util.concurrent.atomic.AtomicLong;

/** Progress of all captures of one analysis together, reported to a {@link ProgressListener}. */
final class Progress {
    private final ProgressListener listener;
    private final long total;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong packets = new AtomicLong();

    Progress(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    /** Adds what one reading thread did since its last report; called every few thousand records. */
    void add(long moreBytes, long morePackets) {
        long b = bytes.addAndGet(moreBytes);
        long p = packets.addAndGet(morePackets);
        listener.progress(b, total, p);
    }
}
