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
 *                           its last packet (default: as long as {@code maxTombstones} allows)
 * @param maxTombstones      how many such 4-tuples at most
 * @param maxOpen            connections tracked at once before the least recently active one is handed
 *                           on early, as if the capture ended for it (a bound on memory when many
 *                           connections fall silent without FIN or RST: SYN floods, blackholes)
 */
public record FlowSettings(long idleThresholdNanos, long lingerNanos, int maxLingering, int tailSize, int headerRing, int headerBytes,
                           long tombstoneNanos, int maxTombstones, int maxOpen) {
    public static final FlowSettings DEFAULT = new FlowSettings(Duration.ofSeconds(30).toNanos(),
            Duration.ofSeconds(5).toNanos(), 1 << 13, 32, 4, 96, Long.MAX_VALUE / 4, 1 << 17, 50_000);

    public FlowSettings {
        if (tailSize < 1 || headerRing < 1 || headerRing > tailSize || headerBytes < 0 || maxTombstones < 0
                || maxOpen < 1) {
            throw new IllegalArgumentException("bad flow settings: tail " + tailSize + ", header ring " + headerRing
                    + ", header bytes " + headerBytes + ", tombstones " + maxTombstones);
        }
    }

    public FlowSettings withIdleThreshold(Duration d) {
        return new FlowSettings(d.toNanos(), lingerNanos, maxLingering, tailSize, headerRing, headerBytes, tombstoneNanos,
                maxTombstones, maxOpen);
    }

    public FlowSettings withHeaderBytes(int n) {
        return new FlowSettings(idleThresholdNanos, lingerNanos, maxLingering, tailSize, headerRing, n, tombstoneNanos,
                maxTombstones, maxOpen);
    }
}
