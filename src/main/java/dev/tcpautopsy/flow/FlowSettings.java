package dev.tcpautopsy.flow;

import java.time.Duration;

/**
 * The knobs of flow tracking, in one place.
 *
 * @param idleThresholdNanos gaps at or above this are long idle gaps ({@code --idle-threshold})
 * @param lingerNanos        a finished connection (RST, or both FINs acked) is handed on once nothing
 *                           was seen on it for this long (capture time), so trailing packets still count
 * @param tailSize           last packets kept per connection
 * @param headerRing         of those, how many keep their raw header bytes
 * @param headerBytes        header bytes kept per packet (0: none)
 * @param tombstoneNanos     how long (capture time) a handed-on connection's 4-tuple is remembered after
 *                           its last packet (default: as long as {@code maxTombstones} allows, since
 *                           Wireshark never forgets a 4-tuple: a RST sent once a minute for a day on one
 *                           4-tuple, with gaps of half an hour, is one stream in Zeek's llc.pcap)
 * @param maxTombstones      how many such 4-tuples at most
 * @param maxOpen            connections tracked at once before the least recently active ones are handed
 *                           on early, as if the capture ended for them (the last bound on memory, for
 *                           captures with more connections open at once, or one-sided captures)
 * @param abandonNanos       a connection on which one side waits for the other (an unfinished handshake,
 *                           sequence space not acknowledged, an unanswered retransmission or probe) and on
 *                           which nothing was seen for this long (capture time) was given up by its
 *                           sender and is handed on: 5 minutes, Zeek's {@code tcp_inactivity_timeout} and
 *                           more than twice the longest retransmission timeout of any common stack
 *                           (Linux's TCP_RTO_MAX, 120 s; RFC 6298 2.5 lets the cap be as low as 60 s)
 * @param payload            read the applications' messages from the payload ({@code --no-payload} turns it off)
 */
public record FlowSettings(long idleThresholdNanos, long lingerNanos, int maxLingering, int tailSize, int headerRing, int headerBytes,
                           long tombstoneNanos, int maxTombstones, int maxOpen, long abandonNanos, int judgeBatch,
                           int judgeQueued, boolean payload) {
    public static final long FIVE_MINUTES = Duration.ofMinutes(5).toNanos();
    /**
     * Connections handed to the judging thread at a time, and batches that may wait for it before the
     * tracker waits (8,192 connections): the judging thread falls behind in its first few hundred
     * milliseconds, while its code is still interpreted, and is idle more than half of the time
     * afterwards; fewer batches made the tracker wait for it, more held connections longer than they
     * saved (bench/results/design-choices.md).
     */
    static final int JUDGE_BATCH = 128, JUDGE_QUEUED = 64;
    public static final FlowSettings DEFAULT = new FlowSettings(Duration.ofSeconds(30).toNanos(),
            Duration.ofSeconds(5).toNanos(), 1 << 13, 32, 4, 96, Long.MAX_VALUE / 4, 1 << 16, 50_000, FIVE_MINUTES);

    public FlowSettings {
        if (tailSize < 1 || headerRing < 1 || headerRing > tailSize || headerBytes < 0 || maxTombstones < 0
                || maxOpen < 1 || abandonNanos < 1 || judgeBatch < 1 || judgeQueued < 1) {
            throw new IllegalArgumentException("bad flow settings: tail " + tailSize + ", header ring " + headerRing
                    + ", header bytes " + headerBytes + ", tombstones " + maxTombstones + ", open " + maxOpen
                    + ", abandon after " + abandonNanos + " ns");
        }
    }

    /** The settings with the payload read. */
    public FlowSettings(long idleThresholdNanos, long lingerNanos, int maxLingering, int tailSize, int headerRing,
                        int headerBytes, long tombstoneNanos, int maxTombstones, int maxOpen, long abandonNanos,
                        int judgeBatch, int judgeQueued) {
        this(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, headerBytes, tombstoneNanos,
                maxTombstones, maxOpen, abandonNanos, judgeBatch, judgeQueued, true);
    }

    /** The settings with the default handoff to the judging thread. */
    public FlowSettings(long idleThresholdNanos, long lingerNanos, int maxLingering, int tailSize, int headerRing,
                        int headerBytes, long tombstoneNanos, int maxTombstones, int maxOpen, long abandonNanos) {
        this(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, headerBytes, tombstoneNanos,
                maxTombstones, maxOpen, abandonNanos, JUDGE_BATCH, JUDGE_QUEUED);
    }

    /** The settings with connections given up after the default 5 minutes of silence. */
    public FlowSettings(long idleThresholdNanos, long lingerNanos, int maxLingering, int tailSize, int headerRing,
                        int headerBytes, long tombstoneNanos, int maxTombstones, int maxOpen) {
        this(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, headerBytes, tombstoneNanos,
                maxTombstones, maxOpen, FIVE_MINUTES);
    }

    public FlowSettings withIdleThreshold(Duration d) {
        return new FlowSettings(d.toNanos(), lingerNanos, maxLingering, tailSize, headerRing, headerBytes, tombstoneNanos,
                maxTombstones, maxOpen, abandonNanos, judgeBatch, judgeQueued, payload);
    }

    public FlowSettings withHeaderBytes(int n) {
        return new FlowSettings(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, n, tombstoneNanos,
                maxTombstones, maxOpen, abandonNanos, judgeBatch, judgeQueued, payload);
    }

    public FlowSettings withPayload(boolean read) {
        return new FlowSettings(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, headerBytes,
                tombstoneNanos, maxTombstones, maxOpen, abandonNanos, judgeBatch, judgeQueued, read);
    }
}
