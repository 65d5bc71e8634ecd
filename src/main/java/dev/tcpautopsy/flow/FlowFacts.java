package dev.tcpautopsy.flow;

import dev.tcpautopsy.app.AppFacts;

import dev.tcpautopsy.model.StateChange;

import java.util.List;

/**
 * Everything the classifier may read about one finished connection: immutable, built once when
 * the connection is handed on. Times are epoch nanoseconds, frames 1-based (0 = none), sequence
 * numbers relative to the sending side's ISN (-1 = unknown).
 *
 * @param stream            Wireshark's tcp.stream index
 * @param handshakeSeen     the client's SYN (without ACK) was seen
 * @param handshakeComplete SYN, SYN-ACK and the ACK of the SYN-ACK were all seen
 * @param portReused        a later flow reused this 4-tuple
 * @param captureEndNanos   time of the last record of the whole capture (to tell "capture ended"); for a
 *                          flow handed on early, the time it was handed on
 * @param handedEarly       handed on before the capture ended: its sender had given up (silent for
 *                          minutes while waiting for an answer), or too many connections were open at
 *                          once; the silence after its last packet lasted at least until
 *                          {@code captureEndNanos}, maybe longer
 * @param handshakeRttNanos SYN to ACK of SYN-ACK, -1 when unknown
 * @param longestIdle       the longest idle gap (spec's definition), {@code null} when none
 * @param lastLongIdle      the latest idle gap at or above the idle threshold, {@code null} when none
 * @param tail              the last few packets, oldest first
 * @param transitions       endpoint state transitions in order
 * @param history           Zeek-style history letters (upper case client, lower case server)
 * @param lastLongDataIdle  the latest data-idle gap (spec: from the last new data either way to the next
 *                          new data or the first FIN or RST after it) at or above the idle threshold,
 *                          {@code null} when none
 * @param outlived          the first RST the connection outlived (its ending came later), {@code null} when none
 * @param quiet             the quiet periods of any length (for the findings), {@link QuietFacts#NONE} when unknown
 * @param app               what the applications said, {@code null} when the payload was not read
 */
public record FlowFacts(long stream, SideFacts client, SideFacts server, boolean handshakeSeen,
                        boolean handshakeComplete, boolean portReused, long firstFrame, long lastFrame,
                        long startNanos, long endNanos, long captureEndNanos, long handshakeRttNanos,
                        Gap longestIdle, Gap lastLongIdle, List<TailPacket> tail,
                        List<StateChange> transitions, String history, boolean handedEarly,
                        Gap lastLongDataIdle, Outlived outlived, QuietFacts quiet, AppFacts app) {
    public FlowFacts {
        // the tracker's own lists are unmodifiable already: not copied a second time for every connection
        tail = tail instanceof FixedList ? tail : List.copyOf(tail);
        transitions = transitions instanceof FixedList ? transitions : List.copyOf(transitions);
        quiet = quiet == null ? QuietFacts.NONE : quiet;
    }

    /** The same facts of stream {@code n} (the tracking threads know a stream by another number: {@link ShardedTracker}). */
    FlowFacts withStream(long n) {
        return with(n, app);
    }

    /** These facts, but of stream {@code n} and with what the applications said {@code a}. */
    private FlowFacts with(long n, AppFacts a) {
        return new FlowFacts(n, client, server, handshakeSeen, handshakeComplete, portReused, firstFrame, lastFrame,
                startNanos, endNanos, captureEndNanos, handshakeRttNanos, longestIdle, lastLongIdle, tail, transitions,
                history, handedEarly, lastLongDataIdle, outlived, quiet, a);
    }

    /** The facts of a flow whose payload was not read. */
    public FlowFacts(long stream, SideFacts client, SideFacts server, boolean handshakeSeen,
                     boolean handshakeComplete, boolean portReused, long firstFrame, long lastFrame,
                     long startNanos, long endNanos, long captureEndNanos, long handshakeRttNanos,
                     Gap longestIdle, Gap lastLongIdle, List<TailPacket> tail,
                     List<StateChange> transitions, String history, boolean handedEarly,
                     Gap lastLongDataIdle, Outlived outlived, QuietFacts quiet) {
        this(stream, client, server, handshakeSeen, handshakeComplete, portReused, firstFrame, lastFrame, startNanos,
                endNanos, captureEndNanos, handshakeRttNanos, longestIdle, lastLongIdle, tail, transitions, history,
                handedEarly, lastLongDataIdle, outlived, quiet, null);
    }

    /** These facts with what the applications said. */
    public FlowFacts withApp(AppFacts a) {
        return with(stream, a);
    }

    /** The facts of a flow without its quiet periods. */
    public FlowFacts(long stream, SideFacts client, SideFacts server, boolean handshakeSeen,
                     boolean handshakeComplete, boolean portReused, long firstFrame, long lastFrame,
                     long startNanos, long endNanos, long captureEndNanos, long handshakeRttNanos,
                     Gap longestIdle, Gap lastLongIdle, List<TailPacket> tail,
                     List<StateChange> transitions, String history, boolean handedEarly,
                     Gap lastLongDataIdle, Outlived outlived) {
        this(stream, client, server, handshakeSeen, handshakeComplete, portReused, firstFrame, lastFrame, startNanos,
                endNanos, captureEndNanos, handshakeRttNanos, longestIdle, lastLongIdle, tail, transitions, history,
                handedEarly, lastLongDataIdle, outlived, QuietFacts.NONE);
    }

    /** The facts of a flow without data-idle gaps or outlived RSTs. */
    public FlowFacts(long stream, SideFacts client, SideFacts server, boolean handshakeSeen,
                     boolean handshakeComplete, boolean portReused, long firstFrame, long lastFrame,
                     long startNanos, long endNanos, long captureEndNanos, long handshakeRttNanos,
                     Gap longestIdle, Gap lastLongIdle, List<TailPacket> tail,
                     List<StateChange> transitions, String history, boolean handedEarly) {
        this(stream, client, server, handshakeSeen, handshakeComplete, portReused, firstFrame, lastFrame, startNanos,
                endNanos, captureEndNanos, handshakeRttNanos, longestIdle, lastLongIdle, tail, transitions, history,
                handedEarly, null, null);
    }

    /** The facts of a flow watched until the end of the capture. */
    public FlowFacts(long stream, SideFacts client, SideFacts server, boolean handshakeSeen,
                     boolean handshakeComplete, boolean portReused, long firstFrame, long lastFrame,
                     long startNanos, long endNanos, long captureEndNanos, long handshakeRttNanos,
                     Gap longestIdle, Gap lastLongIdle, List<TailPacket> tail,
                     List<StateChange> transitions, String history) {
        this(stream, client, server, handshakeSeen, handshakeComplete, portReused, firstFrame, lastFrame, startNanos,
                endNanos, captureEndNanos, handshakeRttNanos, longestIdle, lastLongIdle, tail, transitions, history, false);
    }

    /** An idle gap: no segment between {@code afterFrame} and {@code beforeFrame}. */
    public record Gap(long nanos, long afterFrame, long beforeFrame) {
    }

    /**
     * The first RST a connection outlived (spec: <em>ending</em>), and how many it outlived in all.
     *
     * @param halfOpen the client's RST in a handshake that it then completed by retrying its SYN
     *                 (RFC 793 half-open recovery)
     * @param ttl      its TTL / hop limit, -1 when unknown
     */
    public record Outlived(long frame, long nanos, boolean fromClient, int ttl, int count, boolean halfOpen) {
    }

    /**
     * One packet near the end. {@code analysis} is a bitmask of {@link AnalysisFlags} flags;
     * {@code window} is scaled when the scale is known.
     */
    public record TailPacket(long frame, long tsNanos, boolean fromClient, int flags, long seq, long ack,
                             int len, long window, int ttl, int ipId, int analysis) {
        // written out: the generated ones bootstrap a method-handle chain on first use (some 20 ms of
        // one core at every start, on the thread that judges flows) and run slower without inlining
        @Override
        public boolean equals(Object o) {
            return o instanceof TailPacket p && frame == p.frame && tsNanos == p.tsNanos && fromClient == p.fromClient
                    && flags == p.flags && seq == p.seq && ack == p.ack && len == p.len && window == p.window
                    && ttl == p.ttl && ipId == p.ipId && analysis == p.analysis;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(frame) * 31 + Long.hashCode(tsNanos);
        }
    }
}
