package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.AnalysisFlags;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.Termination;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a finished flow's facts and its verdict straight into the model's encoded form ({@link FlowEncoder}):
 * what the flow set keeps and the formats read, with no model {@code Flow} between.
 */
final class FlowEncoding {
    /** AnalysisFlags-name lists are few: shared rather than made for every packet line. */
    @SuppressWarnings("unchecked")
    private static final List<String>[] ANALYSIS_NAMES = new List[1 << AnalysisFlags.COUNT];

    /** Packets per flow in the model's {@code lastPackets}. */
    static final int LADDER = 16;

    private FlowEncoding() {
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
     * Encodes the flow into {@code e}; without {@code detailed}, its transitions and last packets are left out
     * (the reports say they were not kept).
     */
    static FlowEncoder encode(FlowEncoder e, FlowFacts f, Termination t, boolean detailed, AppContext app) {
        SideFacts c = f.client(), s = f.server();
        boolean halfClosed = (c.finFrame() != 0) != (s.finFrame() != 0) && c.rstCount() == 0 && s.rstCount() == 0;
        e.begin(f.stream());
        e.endpoints(c.ip(), c.port(), s.ip(), s.port());
        e.span(f.firstFrame(), f.lastFrame(), f.startNanos(), f.endNanos(), f.handshakeSeen(), halfClosed);
        e.termination(t);
        direction(e, c);
        direction(e, s);
        FlowFacts.Gap idle = f.longestIdle();
        e.timing(f.handshakeRttNanos() < 0 ? -1 : f.handshakeRttNanos() / 1000, idle != null,
                idle == null ? 0 : idle.nanos() / 1e9, idle == null ? 0 : idle.afterFrame(),
                idle == null ? 0 : idle.beforeFrame(), f.history());
        e.app(app);
        e.details(detailed ? f.transitions() : List.of(), detailed ? ladder(f.tail()) : List.of());
        return e;
    }

    private static void direction(FlowEncoder e, SideFacts s) {
        e.direction(s.packets(), s.payloadBytes(), s.isn(), s.mss(), s.windowScale(), s.ttl(), s.state(), s.finFrame(),
                s.rstFrame(), s.analysis());
    }

    /** The classifier reads a longer tail; the report's ladder shows the last few. */
    private static List<PacketLine> ladder(List<FlowFacts.TailPacket> tail) {
        List<PacketLine> lines = new ArrayList<>(Math.min(tail.size(), LADDER));
        for (FlowFacts.TailPacket p : tail.subList(Math.max(0, tail.size() - LADDER), tail.size())) {
            lines.add(new PacketLine(p.frame(), instant(p.tsNanos()), p.fromClient(), TcpFlags.text(p.flags()), p.seq(),
                    p.ack(), p.len(), p.window(), p.ttl(), analysisNames(p.analysis() & ((1 << AnalysisFlags.COUNT) - 1))));
        }
        return lines;
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
