package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The partitions one thread tracks, and what they share on that thread: the pool of connection objects,
 * the capture's clock, the listening ports, the piece ends. Every packet of the capture passes through
 * {@link #tick} (which keeps the clock and the listening ports, and sweeps the partitions when one is
 * due), and the packets of its own partitions through {@link #accept} as well: so each shard's clock and
 * roles are the capture's, whichever packets it tracks, and its partitions decide as they would with
 * every partition on one thread.
 *
 * <p>What the partitions decide goes to an {@link Outlet}: the listener directly (one thread), or events
 * that a merging thread puts back in capture order ({@link ShardedTracker}).
 */
final class Shard {
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK;

    /** Where a shard's decisions go. */
    interface Outlet {
        /** What follows is decided at the end of the capture. */
        default void atEnd() {
        }

        /** A new stream opened with {@code c}, known by its {@link Connection#key}. */
        default void opened(Connection c) {
        }

        /** {@code c} goes on a stream handed on before ({@link Connection#key} is that stream's). */
        default void resumed(Connection c) {
        }

        /** {@code c} is over: {@link Connection#handEnd} and {@link Connection#handEarly} are set. */
        void handed(Connection c);

        /** The 4-tuple of the stream known as {@code key} was used again by a new connection. */
        void reusedLater(long key);

        /** Nothing refers to the stream known as {@code key} any more (its tombstone is gone). */
        default void forgot(long key) {
        }
    }

    private final Partition[] partitions;
    /** The partitions of this shard, in ascending order. */
    private final Partition[] own;
    final Roles roles = new Roles();
    final PieceEnds pieceEnds = new PieceEnds();
    private final ArrayDeque<Connection> pool = new ArrayDeque<>();
    /** The application trackers of this thread's connections not in use. */
    private final ArrayDeque<dev.tcpautopsy.app.AppTracker> apps = new ArrayDeque<>();
    /** The numbers the partitions' tables know the pooled connections by. */
    final FlowTable.Numbers numbers = new FlowTable.Numbers();
    private final FlowSettings settings;
    private Outlet out;
    /** Where pooled connections come back from another thread, or null. */
    private PoolReturn returns;
    /** The latest packet time seen. */
    long clock = Long.MIN_VALUE;
    /** The earliest packet time at which one of the partitions is due for a sweep. */
    private long due = Long.MIN_VALUE;
    /** Each partition's own (by its {@link Partition#index}): most packets sweep none, or one. */
    private final long[] dues;
    /** The next stream number (numbered here), or -1 when streams are known by {@link #ordinal}. */
    private long nextStream;
    /** The ordinal of the current segment among the capture's (when streams are numbered elsewhere). */
    long ordinal;
    /** Set while looking the current segment up. */
    int preset, lastAnalysis;
    /**
     * Who decides what follows: this partition, sweeping at the current packet or tracking it (the order
     * of the decisions, {@link ShardedTracker}). Fields rather than a call to the outlet at every packet.
     */
    int decidingPartition;
    boolean decidingSweep;
    long strayStream;

    /** Where connections handed to another thread come back for reuse. */
    interface PoolReturn {
        /** Connections done with since the last call, or null. */
        Connection[] poll();
    }

    /**
     * @param ids      the partitions of this shard, ascending
     * @param numbered whether this shard numbers the streams (the only one), or knows them by ordinal
     */
    Shard(FlowSettings settings, int[] ids, boolean numbered) {
        this.settings = settings;
        partitions = new Partition[FlowTracker.PARTITIONS];
        own = new Partition[ids.length];
        for (int i = 0; i < ids.length; i++) {
            own[i] = partitions[ids[i]] = new Partition(ids[i], FlowTracker.PARTITIONS, this, settings);
            own[i].index = i;
        }
        dues = new long[ids.length];
        java.util.Arrays.fill(dues, Long.MIN_VALUE);
        nextStream = numbered ? 0 : -1;
    }

    void outlet(Outlet out, PoolReturn returns) {
        this.out = out;
        this.returns = returns;
    }

    /** The partition of {@code s}'s 4-tuple, if this shard tracks it, else null. */
    Partition partitionOf(TcpSegment s) {
        return partitions[FlowTracker.partition(s)];
    }

    /** Partition {@code id}, if this shard tracks it, else null. */
    Partition partition(int id) {
        return partitions[id];
    }

    Partition[] own() {
        return own;
    }

    /**
     * The passing of time and what every packet says of ports, at each packet of the capture: the clock,
     * the ports that answer SYNs, and a sweep of the partitions when one is due.
     */
    void tick(TcpSegment s) {
        long now = s.tsNanos;
        if (now > clock) {
            clock = now;
        }
        if ((s.flags & (SYN | ACK)) == (SYN | ACK)) {
            roles.listening(s.srcPort);
        }
        if (now >= due) {
            sweep(now);
        }
    }

    private void deciding(int partition, boolean sweep) {
        decidingPartition = partition;
        decidingSweep = sweep;
    }

    /** Sweeps the partitions of this shard that are due, in order. */
    private void sweep(long now) {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < own.length; i++) {
            if (dues[i] <= now) {
                Partition p = own[i];
                deciding(p.id, true);
                p.sweep(now);
                dues[i] = p.due();
            }
            d = Math.min(d, dues[i]);
        }
        due = d;
    }

    private void dueAfter(Partition p) {
        long d = p.due();
        dues[p.index] = d;
        if (d < due) {
            due = d;
        }
    }

    /** Accounts {@code s} (after {@link #tick}) in its partition {@code p}, one of this shard's. */
    Connection accept(Partition p, TcpSegment s) {
        deciding(p.id, false);
        Connection c = p.accept(s);
        dueAfter(p);
        return c;
    }

    /** Finds or opens the connection of {@code s} and changes nothing else (after {@link #tick}); null for a stray. */
    Connection lookup(Partition p, TcpSegment s) {
        deciding(p.id, false);
        Connection c = p.lookup(s);
        lastAnalysis = preset;
        dueAfter(p);
        return c;
    }

    /** Hands on every connection still open, in stream order, as the capture ends at {@code end}. */
    void handAll(long end) {
        List<Connection> live = new ArrayList<>();
        for (Partition p : own) {
            p.live(live);
        }
        live.sort(Comparator.comparingLong(x -> x.key));
        out.atEnd();
        for (Connection c : live) {
            partitions[c.partition].handAtEnd(c, Math.max(end, clock));
        }
        for (Partition p : own) {
            p.ended();
        }
    }

    long newStream() {
        return nextStream >= 0 ? nextStream++ : ordinal;
    }

    Connection pooled() {
        Connection c = pool.poll();
        if (c == null && returns != null) {
            Connection[] back = returns.poll();
            if (back != null) {
                for (Connection x : back) {
                    pool.push(x);
                }
                c = pool.poll();
            }
        }
        return c != null ? c : new Connection(settings, apps);
    }

    /** Back to the pool: a connection this thread is done with. */
    void recycle(Connection c) {
        pool.push(c);
    }

    void opened(Connection c) {
        out.opened(c);
    }

    void resumed(Connection c) {
        out.resumed(c);
    }

    void handed(Connection c) {
        out.handed(c);
    }

    void reusedLater(long key) {
        out.reusedLater(key);
    }

    void forgot(long key) {
        out.forgot(key);
    }

    long streams() {
        return nextStream;
    }
}
