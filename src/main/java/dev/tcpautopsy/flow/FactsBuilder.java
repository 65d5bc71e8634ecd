package dev.tcpautopsy.flow;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.StateChange;

import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/** Turns a finished {@link Connection} into the immutable {@link FlowFacts} the classifier reads. */
final class FactsBuilder {

    private FactsBuilder() {
    }

    static FlowFacts build(Connection c, long captureEndNanos, boolean early, AddressNames names) {
        Side cl = c.client(), sv = c.server();
        List<StateChange> transitions = transitions(c);
        FlowFacts.Gap longest = c.longestIdle < 0 ? null
                : new FlowFacts.Gap(c.longestIdle, c.longestIdleAfter, c.longestIdleBefore);
        FlowFacts.Gap lastLong = c.lastLongIdle < 0 ? null
                : new FlowFacts.Gap(c.lastLongIdle, c.lastLongIdleAfter, c.lastLongIdleBefore);
        FlowFacts.Gap dataIdle = c.lastLongDataIdle < 0 ? null
                : new FlowFacts.Gap(c.lastLongDataIdle, c.lastLongDataIdleAfter, c.lastLongDataIdleBefore);
        Survival o = c.survival;
        FlowFacts.Outlived outlived = o.frame == 0 ? null
                : new FlowFacts.Outlived(o.frame, o.nanos, o.fromClient, o.ttl, o.count, o.halfOpen);
        long rtt = c.handshakeComplete && c.firstRttNanos > 0 ? c.firstRttNanos : -1;
        return new FlowFacts(c.stream, side(cl, sv, names), side(sv, cl, names), c.handshakeSeen, c.handshakeComplete,
                c.portReused, c.firstFrame, c.lastFrame, c.startNanos, c.lastNanos, captureEndNanos, rtt, longest,
                lastLong, c.ring.tail(), transitions, c.history.toString(), early, dataIdle, outlived, c.quiet(),
                !c.readsPayload() ? null : c.app == null ? AppFacts.NONE : c.app.facts());
    }

    /**
     * The state transitions, made into objects only when read (a report details a few connections): their
     * numbers are copied, the connection object being reused.
     */
    private static List<StateChange> transitions(Connection c) {
        int n = c.trCount;
        if (n == 0) {
            return List.of();
        }
        long[] t = new long[3 * n];
        for (int i = 0; i < n; i++) {
            t[3 * i] = c.trFrame[i];
            t[3 * i + 1] = c.trNanos[i];
            t[3 * i + 2] = (c.trClient[i] ? 1 << 16 : 0) | (c.trFrom[i] & 0xFF) << 8 | c.trTo[i] & 0xFF;
        }
        return new FixedList<>(n, new Transitions(t));
    }

    /** The state transitions made from their numbers (a class, not a lambda: see {@link FixedList}). */
    private static final class Transitions implements IntFunction<StateChange> {
        private final long[] t;

        Transitions(long[] t) {
            this.t = t;
        }

        @Override
        public StateChange apply(int i) {
            long states = t[3 * i + 2];
            return new StateChange(t[3 * i], instant(t[3 * i + 1]), (states & 1 << 16) != 0 ? "client" : "server",
                    EndpointState.of((int) (states >> 8) & 0xFF).name(), EndpointState.of((int) states & 0xFF).name());
        }
    }

    private static SideFacts side(Side e, Side peer, AddressNames names) {
        long unacked = e.packets == 0 ? 0 : Math.max(0, e.relDataEnd - Math.max(peer.highestAck, e.relStart));
        int scale = e.winScale >= 0 ? e.winScale : e.winScale == -2 ? 0 : -1;
        return new SideFacts(names.of(e.addrHi, e.addrLo), e.port, e.firstFrame, e.packets == 0 ? -1 : e.firstNanos,
                e.packets, e.payloadBytes, e.dataSegments, e.ttlMode(), e.ttlMax < 0 ? -1 : e.ttlMin, e.ttlMax,
                e.isn, scale, e.mss, e.synCount, e.firstSynFrame, e.lastSynFrame, e.firstSynNanos, e.lastSynNanos,
                e.firstDataFrame, e.lastDataFrame, e.lastDataFrame == 0 ? -1 : e.lastDataNanos,
                e.packets == 0 ? -1 : e.relHigh, e.highestAck, e.highestAckFrame, unacked, e.bytesAfterPeerData,
                e.finFrame, e.finNanos, e.finSeq, Connection.finAcked(e, peer),
                e.rstFrame, e.rstNanos, e.rstSeq, e.rstHasAck, e.rstAck, e.rstTtl, e.rstCount,
                e.packetsAfterRst, e.payloadAfterRst,
                e.lastFrame, e.packets == 0 ? -1 : e.lastNanos, e.lastWindow, e.zeroWindowFrame, e.zeroWindowNanos,
                e.zeroWindowProbes, e.keepAlives, e.unanswered, e.unansweredGapsInOrder(),
                e.ipIdPattern(), e.state().name(), counts(e.analysisCounts));
    }

    static AnalysisCounts counts(long[] n) {
        if (n == null) {
            return AnalysisCounts.NONE;
        }
        return new AnalysisCounts(bit(n, AnalysisFlags.RETRANSMISSION) + bit(n, AnalysisFlags.FAST_RETRANSMISSION)
                + bit(n, AnalysisFlags.SPURIOUS_RETRANSMISSION), bit(n, AnalysisFlags.FAST_RETRANSMISSION),
                bit(n, AnalysisFlags.SPURIOUS_RETRANSMISSION), bit(n, AnalysisFlags.OUT_OF_ORDER), bit(n, AnalysisFlags.LOST_SEGMENT),
                bit(n, AnalysisFlags.ACKED_UNSEEN), bit(n, AnalysisFlags.DUPLICATE_ACK), bit(n, AnalysisFlags.ZERO_WINDOW),
                bit(n, AnalysisFlags.ZERO_WINDOW_PROBE), bit(n, AnalysisFlags.WINDOW_FULL), bit(n, AnalysisFlags.KEEP_ALIVE),
                bit(n, AnalysisFlags.KEEP_ALIVE_ACK), bit(n, AnalysisFlags.WINDOW_UPDATE));
    }

    private static long bit(long[] n, int flag) {
        return n[Integer.numberOfTrailingZeros(flag)];
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
