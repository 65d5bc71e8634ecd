package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.AnalysisFlags;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.IdleGap;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.Termination;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a finished flow's facts and its verdict into the model's {@link Flow}. */
final class FlowConverter {
    /** AnalysisFlags-name lists are few: shared rather than made for every packet line. */
    @SuppressWarnings("unchecked")
    private static final List<String>[] ANALYSIS_NAMES = new List[1 << AnalysisFlags.COUNT];

    /** Packets per flow in the model's {@code lastPackets}. */
    static final int LADDER = 16;

    private FlowConverter() {
    }

    private static List<String> analysisNames(int mask) {
        List<String> l = ANALYSIS_NAMES[mask];
        if (l == null) {
            // a benign race: two threads may both build the same immutable list
            l = List.copyOf(AnalysisFlags.names(mask));
            ANALYSIS_NAMES[mask] = l;
        }
        return l;
    }

    /**
     * The model's flow; without {@code detailed}, its transitions and last packets are left empty (the
     * reports say they were not kept).
     */
    static Flow toFlow(FlowFacts f, Termination t, boolean detailed) {
        SideFacts c = f.client(), s = f.server();
        boolean halfClosed = (c.finFrame() != 0) != (s.finFrame() != 0) && c.rstCount() == 0 && s.rstCount() == 0;
        List<PacketLine> lines = detailed ? ladder(f.tail()) : List.of();
        IdleGap idle = f.longestIdle() == null ? null
                : new IdleGap(f.longestIdle().nanos() / 1e9, f.longestIdle().afterFrame(), f.longestIdle().beforeFrame());
        long rtt = f.handshakeRttNanos() < 0 ? -1 : f.handshakeRttNanos() / 1000;
        return new Flow(f.stream(), new Endpoint(c.ip(), c.port()), new Endpoint(s.ip(), s.port()), f.firstFrame(),
                f.lastFrame(), instant(f.startNanos()), instant(f.endNanos()), f.handshakeSeen(), halfClosed, t,
                stats(c), stats(s), rtt, idle, f.history(), detailed ? f.transitions() : List.of(), lines,
                AppContexts.of(f.app()));
    }

    /** The classifier reads a longer tail; the report's ladder shows the last few. */
    private static List<PacketLine> ladder(List<FlowFacts.TailPacket> tail) {
        List<PacketLine> lines = new ArrayList<>(Math.min(tail.size(), LADDER));
        for (FlowFacts.TailPacket p : tail.subList(Math.max(0, tail.size() - LADDER), tail.size())) {
            lines.add(new PacketLine(p.frame(), instant(p.tsNanos()), p.fromClient(), flags(p.flags()), p.seq(), p.ack(),
                    p.len(), p.window(), p.ttl(), analysisNames(p.analysis() & ((1 << AnalysisFlags.COUNT) - 1))));
        }
        return lines;
    }

    static DirectionStats stats(SideFacts s) {
        return new DirectionStats(s.packets(), s.payloadBytes(), s.isn(), s.mss(), s.windowScale(), s.ttl(), s.state(),
                s.finFrame(), s.rstFrame(), s.analysis());
    }

    /** tcpdump-like flag letters: S F R P A U E C (e.g. {@code SA} for a SYN-ACK, {@code PA}). */
    static String flags(int f) {
        return TcpFlags.text(f);
    }


    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
