package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
 * <p>Not thread-safe: one tracker per capture, fed in capture order. With a worker thread (see the
 * constructors) the listener runs there, so that tracking and judging use two cores.
 */
public final class FlowTracker {
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK;

    /**
     * A silence of the whole capture longer than this (an hour) is a gap between merged pieces of
     * captures, not part of any connection.
     */
    public static final long CAPTURE_GAP_NANOS = 3_600_000_000_000L;
    /**
     * A client that reset a stale connection's ACK in its handshake retries its SYN, with the same ISN,
     * after its SYN timeout (Windows: 3 s, then 6 s): it lingers this many linger times for it.
     */
    private static final int SYN_RETRY_LINGER = 4;

    private final FlowSettings settings;
    private final FlowListener listener;
    private final HostTable hosts;
    /** The thread finished connections go to, or null when the listener is called on this one. */
    private final Handoff handoff;
    private final FlowTable table = new FlowTable(1024);
    private final ArrayDeque<Connection> pool = new ArrayDeque<>();
    private final TimedQueue lingering = new TimedQueue();
    /**
     * Every open connection, queued when opened and again each time it is looked at for silence (every
     * quarter of {@link FlowSettings#abandonNanos}), so the queue is in time order.
     */
    private final TimedQueue watch = new TimedQueue();
    private final TombQueue tombs = new TombQueue();
    /**
     * Pieces of captures merged into one file: the times before each silence of the whole capture longer
     * than {@link #CAPTURE_GAP_NANOS}, each a capture end for the connections whose last segment came
     * before it (spec: <em>capture end</em>).
     */
    private final PieceEnds pieceEnds = new PieceEnds();
    private final Roles roles = new Roles();
    private final AddressNames names = new AddressNames();
    private long nextStream;
    /** Latest packet time seen, and the current packet's time. */
    private long clock = Long.MIN_VALUE, now;
    private int lastAnalysis;
    /** Flags decided while looking the connection up (reused ports), and the stream of a stray. */
    private int preset;
    private long strayStream;
    private long stray, resumed, open, lingeringNow, evicted, abandoned;

    /** @param hosts fed with every connection before the listener hears of it (may be null) */
    public FlowTracker(FlowSettings settings, FlowListener listener, HostTable hosts) {
        this.settings = settings;
        this.listener = listener;
        this.hosts = hosts;
        this.handoff = null;
    }

    /**
     * A tracker whose listener (and the host baselines) hear of finished connections on a thread of
     * their own, named {@code worker}, in the same order; {@link #finish} waits for it. A failure of the
     * listener is thrown from {@link #accept} (once) and from {@link #finish}.
     */
    public FlowTracker(FlowSettings settings, FlowListener listener, HostTable hosts, String worker) {
        this.settings = settings;
        this.listener = listener;
        this.hosts = hosts;
        this.handoff = new Handoff(listener, hosts, worker, settings.judgeBatch(), settings.judgeQueued());
    }

    /**
     * Accounts one segment (in capture order); the header bytes it carries ({@link TcpSegment#buf}) are
     * kept for evidence when they are there.
     *
     * @return the segment's {@code tcp.stream} number
     */
    public long accept(TcpSegment s) {
        Connection c = lookup(s);
        if (c == null) {
            return strayStream;
        }
        boolean fromA = c.a.matches(s.srcHi, s.srcLo, s.srcPort);
        boolean wasEnded = c.ended;
        lastAnalysis = c.onSegment(s, fromA, preset, settings);
        if (c.ended && !wasEnded) {
            c.lingering = true;
            lingeringNow++;
            lingering.add(c, s.tsNanos);
        } else if (wasEnded && !c.ended && c.lingering) {
            // it outlived its RST: open again (its queue entry is dropped when it comes up)
            c.lingering = false;
            lingeringNow--;
        }
        return c.stream;
    }

    /**
     * Numbers a TCP header that cannot be analyzed (quoted inside an ICMP error, or of unknown
     * length) the way Wireshark does: it finds or opens its connection, and changes nothing else.
     */
    long acceptUnanalyzed(TcpSegment s) {
        Connection c = lookup(s);
        lastAnalysis = preset;
        return c == null ? strayStream : c.stream;
    }

    /** Finds or opens the connection of {@code s}, or returns null (and sets {@link #strayStream}) for a stray. */
    private Connection lookup(TcpSegment s) {
        now = s.tsNanos;
        if (now > clock) {
            clock = now;
        }
        if (!lingering.isEmpty()) {
            // measured against this packet's time, not the latest seen: one packet stamped far in the
            // future (damaged captures have them) must not end every connection waiting out its linger
            expireLingering(now);
        }
        if (!tombs.isEmpty()) {
            tombs.expire(table, now - settings.tombstoneNanos(), settings.maxTombstones());
        }
        if (!watch.isEmpty() && watch.headTime() + settings.abandonNanos() / 4 <= now) {
            handAbandoned(now);
        }
        if (open > settings.maxOpen()) {
            evictLeastActive();
        }
        int slot = table.find(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        boolean srcIsLow = table.lastSrcIsLow;
        int flags = s.flags;
        boolean pureSyn = (flags & (SYN | ACK)) == SYN;
        if ((flags & (SYN | ACK)) == (SYN | ACK)) {
            roles.listening(s.srcPort);
        }
        Connection c;
        preset = 0;
        if (slot < 0) {
            c = open(s, nextStream++);
            table.insertLive(slot, c);
        } else if (table.kind(slot) == FlowTable.TOMB) {
            boolean reuse = pureSyn && table.tombBaseDiffers(slot, srcIsLow, (int) s.seq);
            if (!reuse && (s.payloadLen > 0 || (flags & (SYN | TcpSegment.FIN)) != 0)) {
                // the connection goes on after it was handed on (a SYN retried after a RST, data after a
                // pause longer than the linger time): follow it as a continuation in the same stream
                resumed++;
                c = open(s, table.tombStream(slot));
                table.replaceLive(slot, c);
                return c;
            }
            if (!reuse) {
                // a late packet of a connection already handed on: Wireshark counts it in the old stream
                stray++;
                lastAnalysis = 0;
                strayStream = table.tombStream(slot);
                if (table.tombTime(slot) != now) {
                    table.touchTomb(slot, now);
                    tombs.add(table, slot, strayStream, now);
                }
                return null;
            }
            if (handoff != null) {
                handoff.reusedLater(table.tombStream(slot));
            } else {
                listener.reusedLater(table.tombStream(slot));
            }
            c = open(s, nextStream++);
            table.replaceLive(slot, c);
            preset = AnalysisFlags.REUSED_PORTS;
        } else {
            c = table.conn(slot);
            boolean fromA = c.a.matches(s.srcHi, s.srcLo, s.srcPort);
            Side fwd = fromA ? c.a : c.b;
            if (pureSyn && fwd.baseSet) {
                if ((int) s.seq != fwd.baseSeq) {
                    c.portReused = true;
                    hand(c, slot, clock);
                    c = open(s, nextStream++);
                    // the old slot is a tombstone now, or gone when tombstones are off
                    int again = table.find(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
                    if (again >= 0) {
                        table.replaceLive(again, c);
                    } else {
                        table.insertLive(again, c);
                    }
                    preset = AnalysisFlags.REUSED_PORTS;
                } else {
                    // the same SYN again: Wireshark restores its next-seq (its issue 17616)
                    fwd.wsNextSeq = fwd.wsMaxSeqToBeAcked;
                }
            } else if ((flags & (SYN | ACK)) == (SYN | ACK) && fwd.baseSet && (int) s.seq != fwd.baseSeq) {
                fwd.baseSeq = (int) s.seq;
                preset = AnalysisFlags.REUSED_PORTS;
            }
        }
        return c;
    }

    /**
     * The whole capture (every record, TCP or not) fell silent for longer than {@link #CAPTURE_GAP_NANOS}
     * after {@code end}: pieces of captures merged into one file. {@code end} is a capture end for the
     * connections that fell silent before it (spec: <em>capture end</em>).
     */
    public void pieceEnd(long end) {
        pieceEnds.add(end);
    }

    /** The {@link AnalysisFlags} flags of the segment last passed to {@link #accept}. */
    int lastAnalysis() {
        return lastAnalysis;
    }

    /**
     * Hands on every connection still open, in stream order: the capture ended at
     * {@code captureEndNanos}.
     */
    public void finish(long captureEndNanos) {
        try {
            handAll(Math.max(captureEndNanos, clock));
        } finally {
            if (handoff != null) {
                handoff.finish();
            }
        }
    }

    /** Hands on every connection still open, in stream order, judged as if the capture ended at {@code end}. */
    private void handAll(long end) {
        List<Connection> live = new ArrayList<>();
        table.forEachLive(live::add);
        live.sort(Comparator.comparingLong(x -> x.stream));
        for (Connection c : live) {
            int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
            hand(c, slot, end);
        }
        lingering.clear();
        watch.clear();
        lingeringNow = 0;
    }

    /** Streams numbered so far. */
    long streams() {
        return nextStream;
    }

    /** Connections being tracked now (open or lingering). */
    long openConnections() {
        return open;
    }

    /** Slots of the flow table (grows with the connections open at once, never with the capture). */
    int tableCapacity() {
        return table.capacity();
    }


    /** Connections that went on after they had been handed on, followed as continuations in their stream. */
    long resumedConnections() {
        return resumed;
    }

    /** Late packets that belonged to connections already handed on. */
    long strayPackets() {
        return stray;
    }

    /** The host baselines given to the constructor, or {@code null}. */
    public HostContext hosts() {
        return hosts;
    }

    private Connection open(TcpSegment s, long stream) {
        Connection c = pool.poll();
        if (c == null && handoff != null) {
            Connection[] back = handoff.reuse();
            if (back != null) {
                for (Connection x : back) {
                    pool.push(x);
                }
                c = pool.poll();
            }
        }
        if (c == null) {
            c = new Connection(settings);
        }
        c.reset(stream, s, roles.senderIsClient(s));
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
        long captureEnd = pieceEnds.after(c.lastNanos, handEnd);
        early &= captureEnd == handEnd;
        if (handoff == null) {
            FlowFacts facts = FactsBuilder.build(c, captureEnd, early, names);
            if (hosts != null) {
                hosts.observe(facts);
            }
            listener.finished(facts, c.ring);
        }
        if (slot >= 0 && settings.maxTombstones() > 0) {
            boolean aIsLow = isLow(c.a, c.b);
            Side low = aIsLow ? c.a : c.b, high = aIsLow ? c.b : c.a;
            table.bury(slot, c.stream, low.baseSeq, low.baseSet, high.baseSeq, high.baseSet, now);
            tombs.add(table, slot, c.stream, now);
        } else if (slot >= 0) {
            table.remove(slot);
        }
        if (c.lingering) {
            lingeringNow--;
        }
        c.lingering = false;
        c.generation++;
        open--;
        if (handoff != null) {
            // read-only from here on until the worker gives it back
            c.handEnd = captureEnd;
            c.handEarly = early;
            handoff.hand(c);
        } else {
            pool.push(c);
        }
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
                    || lingeringNow > settings.maxLingering()) {
                lingering.pop();
                int slot = table.find(c.a.addrHi, c.a.addrLo, c.a.port, c.b.addrHi, c.b.addrLo, c.b.port);
                hand(c, slot, clock);
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

    /** Connections handed on because they were silent while one side waited for the other. */
    long abandonedConnections() {
        return abandoned;
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
        int keep = Math.max(1, settings.maxOpen() - settings.maxOpen() / 16);
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
            hand(c, slot, clock, true);
        }
    }

    private static final Comparator<Connection> LEAST_RECENT = Comparator.<Connection>comparingLong(c -> c.lastNanos)
            .thenComparingLong(c -> c.stream);

    /** Connections handed on early because too many were open at once. */
    long evictedConnections() {
        return evicted;
    }
}
