package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.function.ToLongFunction;

/**
 * Rebuilds TCP connections from decoded segments, numbers them as Wireshark's {@code tcp.stream}
 * does, and hands each one to a {@link FlowListener} as soon as it is over.
 *
 * <p>Numbering (Wireshark 4.0, {@code dissect_tcp}): streams are numbered in first-seen order per
 * 4-tuple; a SYN (without ACK) whose sequence number differs from the base sequence already known
 * for its sender starts a new stream on the same 4-tuple, and the old connection is marked as reused.
 * A SYN with the same sequence number is a retransmission and stays in its stream.
 *
 * <p>Memory follows the connections open at once: a connection that ended (RST, or both FINs
 * acknowledged) is handed on once nothing was seen on it for {@link FlowSettings#lingerNanos} of
 * capture time, or at once when its 4-tuple is reused; one given up by its sender (silent for
 * {@link FlowSettings#abandonNanos} while one side waited for the other) is handed on too; its slot
 * then keeps only a small tombstone for a bounded time. Beyond {@link FlowSettings#maxOpen}, the least
 * recently active are handed on. Connection objects are pooled, and a segment allocates nothing.
 *
 * <p>The 4-tuples fall into {@value #PARTITIONS} partitions by a hash of the 4-tuple, each with its own
 * table, queues and share of the bounds ({@link Partition}): this tracker tracks them all on one thread,
 * {@link ShardedTracker} spreads them over several, and both decide exactly the same.
 *
 * <p>Not thread-safe: one tracker per capture, fed in capture order. With a worker thread (see the
 * constructors) the listener runs there, so that tracking and judging use two cores.
 */
public final class FlowTracker {
    /**
     * Partitions of the 4-tuples: the most tracking threads a capture can use. Sixteen spread evenly over
     * 1, 2, 4, 8 or 16 threads, and each partition's share of the bounds stays large enough that a hash
     * unevenly spread does not reach it first.
     */
    public static final int PARTITIONS = 16;
    /**
     * A silence of the whole capture longer than this (an hour) is a gap between merged pieces of
     * captures, not part of any connection.
     */
    public static final long CAPTURE_GAP_NANOS = 3_600_000_000_000L;

    private final HostTable hosts;
    /** The thread finished connections go to, or null when the listener is called on this one. */
    private final Handoff handoff;
    private final Shard shard;
    private final AddressNames names = new AddressNames();

    /** @param hosts fed with every connection before the listener hears of it (may be null) */
    public FlowTracker(FlowSettings settings, FlowListener listener, HostTable hosts) {
        this(settings, listener, hosts, (Handoff) null);
    }

    /**
     * A tracker whose listener (and the host baselines) hear of finished connections on a thread of
     * their own, named {@code worker}, in the same order; {@link #finish} waits for it. A failure of the
     * listener is thrown from {@link #accept} (once) and from {@link #finish}.
     */
    public FlowTracker(FlowSettings settings, FlowListener listener, HostTable hosts, String worker) {
        this(settings, listener, hosts,
                new Handoff(listener, hosts, worker, settings.judgeBatch(), settings.judgeQueued()));
    }

    private FlowTracker(FlowSettings settings, FlowListener listener, HostTable hosts, Handoff handoff) {
        this.hosts = hosts;
        this.handoff = handoff;
        int[] all = new int[PARTITIONS];
        for (int i = 0; i < PARTITIONS; i++) {
            all[i] = i;
        }
        shard = new Shard(settings, all, true);
        shard.outlet(new Shard.Outlet() {
            @Override
            public void handed(Connection c) {
                if (handoff != null) {
                    handoff.hand(c);
                    return;
                }
                FlowFacts facts = FactsBuilder.build(c, c.handEnd, c.handEarly, names);
                if (hosts != null) {
                    hosts.observe(facts);
                }
                listener.finished(facts, c.ring);
                shard.recycle(c);
            }

            @Override
            public void reusedLater(long key) {
                if (handoff != null) {
                    handoff.reusedLater(key);
                } else {
                    listener.reusedLater(key);
                }
            }
        }, handoff == null ? null : handoff::reuse);
    }

    /** The partition of a segment's 4-tuple: the same both ways. */
    public static int partition(TcpSegment s) {
        return partition(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
    }

    static int partition(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        // a sum of the two ends' hashes, so both directions agree; murmur3's finalizer spreads it
        long h = endHash(aHi, aLo, aPort) + endHash(bHi, bLo, bPort);
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) (h >>> 60);
    }

    private static long endHash(long hi, long lo, int port) {
        return hi * 0x9E37_79B9_7F4A_7C15L ^ lo * 0xC2B2_AE3D_27D4_EB4FL ^ port * 0x1656_67B1_9E37_79F9L;
    }

    /**
     * Accounts one segment (in capture order); the header bytes it carries ({@link TcpSegment#buf}) are
     * kept for evidence when they are there.
     *
     * @return the segment's {@code tcp.stream} number
     */
    public long accept(TcpSegment s) {
        shard.tick(s);
        Connection c = shard.accept(shard.partitionOf(s), s);
        return c == null ? shard.strayStream : c.stream;
    }

    /**
     * Numbers a TCP header that cannot be analyzed (quoted inside an ICMP error, or of unknown
     * length) the way Wireshark does: it finds or opens its connection, and changes nothing else.
     */
    long acceptUnanalyzed(TcpSegment s) {
        shard.tick(s);
        Connection c = shard.lookup(shard.partitionOf(s), s);
        return c == null ? shard.strayStream : c.stream;
    }

    /**
     * The whole capture (every record, TCP or not) fell silent for longer than {@link #CAPTURE_GAP_NANOS}
     * after {@code end}: pieces of captures merged into one file. {@code end} is a capture end for the
     * connections that fell silent before it (spec: <em>capture end</em>).
     */
    public void pieceEnd(long end) {
        shard.pieceEnds.add(end);
    }

    /** The {@link AnalysisFlags} flags of the segment last passed to {@link #accept}. */
    int lastAnalysis() {
        return shard.lastAnalysis;
    }

    /**
     * Hands on every connection still open, in stream order: the capture ended at
     * {@code captureEndNanos}.
     */
    public void finish(long captureEndNanos) {
        try {
            shard.handAll(captureEndNanos);
        } finally {
            if (handoff != null) {
                handoff.finish();
            }
        }
    }

    /** Streams numbered so far. */
    long streams() {
        return shard.streams();
    }

    /** Connections being tracked now (open or lingering). */
    long openConnections() {
        return total(p -> p.open);
    }

    /** Slots of the flow tables (grow with the connections open at once, never with the capture). */
    int tableCapacity() {
        return (int) total(p -> p.table.capacity());
    }

    /** Connections that went on after they had been handed on, followed as continuations in their stream. */
    long resumedConnections() {
        return total(p -> p.resumed);
    }

    /** Late packets that belonged to connections already handed on. */
    long strayPackets() {
        return total(p -> p.stray);
    }

    /** The host baselines given to the constructor, or {@code null}. */
    public HostContext hosts() {
        return hosts;
    }

    /** Connections handed on because they were silent while one side waited for the other. */
    long abandonedConnections() {
        return total(p -> p.abandoned);
    }

    /** The sum of {@code count} over the partitions. */
    private long total(ToLongFunction<Partition> count) {
        long n = 0;
        for (Partition p : shard.own()) {
            n += count.applyAsLong(p);
        }
        return n;
    }

    /** Connections handed on early because too many were open at once. */
    long evictedConnections() {
        return total(p -> p.evicted);
    }
}
