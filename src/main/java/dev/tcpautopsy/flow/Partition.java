package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One of the {@link FlowTracker#PARTITIONS} parts of the 4-tuples, chosen by a hash of the 4-tuple:
 * its own flow table, lingering, watch and tombstone queues, and its share of each bound (a sixteenth of
 * {@link FlowSettings#maxOpen}, {@link FlowSettings#maxLingering} and {@link FlowSettings#maxTombstones}).
 * A partition's decisions depend on its own connections and on the capture's clock only, never on the
 * other partitions: that is what lets several threads track a capture's partitions and still decide
 * exactly what one thread decides (see {@link Shard}).
 *
 * <p>Its work at a packet comes in two steps: {@link #sweep}, at every packet of the capture (whatever its
 * partition), hands on what lingered or was abandoned long enough and forgets old tombstones; then
 * {@link #lookup}, for the packets of its own 4-tuples.
 */
final class Partition {
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK;
    /**
     * A client that reset a stale connection's ACK in its handshake retries its SYN, with the same ISN,
     * after its SYN timeout (Windows: 3 s, then 6 s): it lingers this many linger times for it.
     */
    private static final int SYN_RETRY_LINGER = 4;

    final int id;
    /** Its place among its shard's partitions. */
    int index;
    private final Shard shard;
    private final FlowSettings settings;
    private final int maxOpen, maxLingering, maxTombstones;
    final FlowTable table;
    private final TimedQueue lingering = new TimedQueue();
    /**
     * Every open connection, queued when opened and again each time it is looked at for silence (every
     * quarter of {@link FlowSettings#abandonNanos}), so the queue is in time order.
     */
    private final TimedQueue watch = new TimedQueue();
    private final TombQueue tombs = new TombQueue();
    /** The current packet's time. */
    private long now;
    long stray, resumed, open, lingeringNow, evicted, abandoned;

    Partition(int id, int partitions, Shard shard, FlowSettings settings) {
        this.id = id;
        this.shard = shard;
        this.settings = settings;
        table = new FlowTable(64, shard.numbers);
        maxOpen = share(settings.maxOpen(), partitions);
        maxLingering = share(settings.maxLingering(), partitions);
        maxTombstones = settings.maxTombstones() == 0 ? 0 : share(settings.maxTombstones(), partitions);
    }

    private static int share(int bound, int partitions) {
        return Math.max(1, (bound + partitions - 1) / partitions);
    }

    /**
     * The earliest packet time at which {@link #sweep} could do anything ({@link Long#MIN_VALUE}: at the next
     * packet). A bound from below: the sweep itself decides. Drops queue entries of connections handed on
     * since, which the sweep would drop without effect.
     */
    long due() {
        if (open > maxOpen) {
            return Long.MIN_VALUE;
        }
        long d = Long.MAX_VALUE;
        while (!lingering.isEmpty()) {
            Connection c = lingering.head();
            if (c.generation != lingering.headGeneration() || !c.lingering) {
                lingering.pop();
                continue;
            }
            if (lingeringNow > maxLingering) {
                return Long.MIN_VALUE;
            }
            d = Math.min(c.lastNanos, lingering.headTime()) + settings.lingerNanos();
            break;
        }
        if (!tombs.isEmpty()) {
            if (tombs.size() > maxTombstones) {
                return Long.MIN_VALUE;
            }
            d = Math.min(d, tombs.headTime() + settings.tombstoneNanos());
        }
        if (!watch.isEmpty()) {
            d = Math.min(d, watch.headTime() + settings.abandonNanos() / 4);
        }
        return d;
    }

    /**
     * What the passing of time does at a packet stamped {@code now}: connections that lingered, were
     * abandoned or are beyond the bound are handed on, old tombstones forgotten.
     */
    void sweep(long now) {
        this.now = now;
        if (!lingering.isEmpty()) {
            // measured against this packet's time, not the latest seen: one packet stamped far in the
            // future (damaged captures have them) must not end every connection waiting out its linger
            expireLingering(now);
        }
        if (!tombs.isEmpty()) {
            tombs.expire(table, now - settings.tombstoneNanos(), maxTombstones, shard);
        }
        if (!watch.isEmpty() && watch.headTime() + settings.abandonNanos() / 4 <= now) {
            handAbandoned(now);
        }
        if (open > maxOpen) {
            evictLeastActive();
        }
    }

    /** Accounts one segment of this partition's 4-tuples, after {@link #sweep}; returns its connection, or null for a stray. */
    Connection accept(TcpSegment s) {
        Connection c = lookup(s);
        if (c == null) {
            return null;
        }
        boolean fromA = c.a.matches(s.srcHi, s.srcLo, s.srcPort);
        boolean wasEnded = c.ended;
        shard.lastAnalysis = c.onSegment(s, fromA, shard.preset, settings);
        if (c.ended && !wasEnded) {
            c.lingering = true;
            lingeringNow++;
            lingering.add(c, s.tsNanos);
        } else if (wasEnded && !c.ended && c.lingering) {
            // it outlived its RST: open again (its queue entry is dropped when it comes up)
            c.lingering = false;
            lingeringNow--;
        }
        return c;
    }

    /** Finds or opens the connection of {@code s}, or returns null (and sets the shard's stray stream) for a stray. */
    Connection lookup(TcpSegment s) {
        now = s.tsNanos;
        int slot = table.find(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        boolean srcIsLow = table.lastSrcIsLow;
        int flags = s.flags;
        boolean pureSyn = (flags & (SYN | ACK)) == SYN;
        Connection c;
        shard.preset = 0;
        if (slot < 0) {
            c = open(s, shard.newStream());
            table.insertLive(slot, c);
            shard.opened(c);
        } else if (table.kind(slot) == FlowTable.TOMB) {
            boolean reuse = pureSyn && table.tombBaseDiffers(slot, srcIsLow, (int) s.seq);
            if (!reuse && (s.payloadLen > 0 || (flags & (SYN | TcpSegment.FIN)) != 0)) {
                // the connection goes on after it was handed on (a SYN retried after a RST, data after a
                // pause longer than the linger time): follow it as a continuation in the same stream
                resumed++;
                c = open(s, table.tombStream(slot));
                table.replaceLive(slot, c);
                shard.resumed(c);
                return c;
            }
            if (!reuse) {
                // a late packet of a connection already handed on: Wireshark counts it in the old stream
                stray++;
                shard.lastAnalysis = 0;
                long stream = table.tombStream(slot);
                shard.strayStream = stream;
                if (table.tombTime(slot) != now) {
                    table.touchTomb(slot, now);
                    tombs.add(table, slot, stream, now);
                }
                return null;
            }
            long old = table.tombStream(slot);
            shard.reusedLater(old);
            c = open(s, shard.newStream());
            table.replaceLive(slot, c);
            shard.forgot(old);
            shard.opened(c);
            shard.preset = AnalysisFlags.REUSED_PORTS;
        } else {
            c = table.conn(slot);
            boolean fromA = c.a.matches(s.srcHi, s.srcLo, s.srcPort);
            Side fwd = fromA ? c.a : c.b;
            if (pureSyn && fwd.baseSet) {
                if ((int) s.seq != fwd.baseSeq) {
                    c.portReused = true;
                    long old = c.key;
                    hand(c, slot, shard.clock);
                    c = open(s, shard.newStream());
                    // the old slot is a tombstone now, or gone when tombstones are off
                    int again = table.find(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
                    if (again >= 0) {
                        table.replaceLive(again, c);
                        shard.forgot(old);
                    } else {
                        table.insertLive(again, c);
                    }
                    shard.opened(c);
                    shard.preset = AnalysisFlags.REUSED_PORTS;
                } else {
                    // the same SYN again: Wireshark restores its next-seq (its issue 17616)
                    fwd.wsNextSeq = fwd.wsMaxSeqToBeAcked;
                }
            } else if ((flags & (SYN | ACK)) == (SYN | ACK) && fwd.baseSet && (int) s.seq != fwd.baseSeq) {
                fwd.baseSeq = (int) s.seq;
                shard.preset = AnalysisFlags.REUSED_PORTS;
            }
        }
        return c;
    }

    /** Adds every connection still tracked to {@code live}. */
    void live(List<Connection> live) {
        table.forEachLive(live::add);
    }

    /** Hands on {@code c}, one of {@link #live}'s, as the capture ends at {@code end}. */
    void handAtEnd(Connection c, long end) {
        int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
        hand(c, slot, end);
    }

    /** After {@link #handAtEnd}: nothing is tracked any more. */
    void ended() {
        lingering.clear();
        watch.clear();
        lingeringNow = 0;
    }

    private Connection open(TcpSegment s, long stream) {
        Connection c = shard.pooled();
        c.reset(stream, s, shard.roles.senderIsClient(s));
        c.partition = id;
        open++;
        watch.add(c, s.tsNanos);
        if (watch.size() > 2 * open + 1024) {
            // entries of connections handed on since pile up; drop them (amortized O(1))
            watch.retainLive();
        }
        return c;
    }

    private void hand(Connection c, int slot, long captureEnd) {
        hand(c, slot, captureEnd, false);
    }

    /**
     * @param handEnd the capture end to judge it by, unless a piece of the capture ended after its last segment
     * @param early   handed on before the end of the capture (abandoned, or beyond the cap)
     */
    private void hand(Connection c, int slot, long handEnd, boolean early) {
        long captureEnd = shard.pieceEnds.after(c.lastNanos, handEnd);
        early &= captureEnd == handEnd;
        c.handEnd = captureEnd;
        c.handEarly = early;
        if (slot >= 0 && maxTombstones > 0) {
            boolean aIsLow = isLow(c.a, c.b);
            Side low = aIsLow ? c.a : c.b, high = aIsLow ? c.b : c.a;
            table.bury(slot, c.key, low.baseSeq, low.baseSet, high.baseSeq, high.baseSet, now);
            tombs.add(table, slot, c.key, now);
        } else {
            if (slot >= 0) {
                table.remove(slot);
            }
            shard.forgot(c.key);
        }
        if (c.lingering) {
            lingeringNow--;
        }
        c.lingering = false;
        c.generation++;
        open--;
        shard.handed(c);
    }

    private static boolean isLow(Side x, Side y) {
        int c = Long.compareUnsigned(x.addrHi, y.addrHi);
        if (c == 0) {
            c = Long.compareUnsigned(x.addrLo, y.addrLo);
        }
        return c < 0 || (c == 0 && x.port <= y.port);
    }

    private void expireLingering(long now) {
        long linger = settings.lingerNanos();
        while (!lingering.isEmpty()) {
            Connection c = lingering.head();
            if (c.generation != lingering.headGeneration() || !c.lingering) {
                lingering.pop();
            } else if (c.lastNanos + (c.mayRetrySyn() ? SYN_RETRY_LINGER * linger : linger) <= now
                    || lingeringNow > maxLingering) {
                lingering.pop();
                int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
                hand(c, slot, shard.clock);
            } else if (lingering.headTime() + linger <= now) {
                // still active after it ended: look again one linger time from now
                lingering.pop();
                lingering.add(c, now);
            } else {
                break;
            }
        }
    }

    /**
     * Hands on the connections silent for {@link FlowSettings#abandonNanos} (capture time) while one side
     * waited for the other ({@link Connection#waiting}): their senders gave up, so the capture has nothing
     * more to say about them, and memory follows the connections open at once, not the dead ones of the
     * whole capture. They are judged as if the capture had ended now, 5 to 6.25 minutes after their last
     * segment (the queue is looked at every quarter of the time). A connection idle with nothing
     * outstanding stays, however long: keep-alives come every two hours by default, and its idle gap is
     * what an IDLE_TIMEOUT verdict measures. Should a connection handed on go on all the same, its
     * tombstone keeps it in its stream.
     */
    private void handAbandoned(long now) {
        long limit = settings.abandonNanos();
        while (!watch.isEmpty() && watch.headTime() + limit / 4 <= now) {
            Connection c = watch.head();
            int gen = watch.headGeneration();
            watch.pop();
            if (c.generation != gen || c.lingering) {
                continue; // handed on already, or ended and waiting out its linger
            }
            if (c.lastNanos + limit <= now && c.waiting()) {
                abandoned++;
                int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
                hand(c, slot, now, true);
            } else {
                watch.add(c, now);
            }
        }
    }

    /**
     * Too many connections at once: hands on the least recently active sixteenth of them, as if the
     * capture ended for them. Keeps memory bounded when connections fall silent without FIN or RST by the
     * thousand. The victims are chosen by the time of their last segment over every connection tracked
     * (a sort per batch, a few microseconds per connection handed on), so a connection that is still
     * retrying is never handed on while older silent ones are held: handed on, it would go on as a
     * second flow in its stream.
     */
    private void evictLeastActive() {
        int keep = Math.max(1, maxOpen - maxOpen / 16);
        int excess = (int) (open - keep);
        if (excess <= 0) {
            return;
        }
        Connection[] live = new Connection[(int) open];
        int[] n = {0};
        table.forEachLive(c -> live[n[0]++] = c);
        Connection[] all = n[0] == live.length ? live : Arrays.copyOf(live, n[0]);
        Arrays.sort(all, LEAST_RECENT);
        for (int i = 0; i < Math.min(excess, all.length); i++) {
            Connection c = all[i];
            evicted++;
            int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
            hand(c, slot, shard.clock, true);
        }
    }

    private static final Comparator<Connection> LEAST_RECENT = Comparator.<Connection>comparingLong(c -> c.lastNanos)
            .thenComparingLong(c -> c.key);
}
