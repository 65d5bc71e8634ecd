package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds tshark's frames of one capture through a {@link FlowTracker} and lists where our
 * {@code tcp.stream} numbers and {@code tcp.analysis.*} flags differ from Wireshark's.
 */
final class TsharkAgreement {
    final List<String> streamMismatches = new ArrayList<>();
    final List<String> flagMismatches = new ArrayList<>();
    final int[] flagDiffs = new int[AnalysisFlags.COUNT];
    int frames;
    final List<FlowFacts> flows = new ArrayList<>();

    /** Bits compared: everything but the retransmission field, which is compared as "any kind". */
    static int comparable(int mask) {
        int out = mask & ~AnalysisFlags.RETRANSMISSION;
        // tshark's tcp.analysis.retransmission is present for fast and spurious retransmissions too
        if ((mask & AnalysisFlags.ANY_RETRANSMISSION) != 0) {
            out |= AnalysisFlags.RETRANSMISSION;
        }
        return out;
    }

    static TsharkAgreement check(List<TsharkFrames.Frame> frames, FlowSettings settings) {
        TsharkAgreement r = new TsharkAgreement();
        FlowTracker t = new FlowTracker(settings, (f, h) -> r.flows.add(f), new HostTable(1000));
        long last = 0;
        for (TsharkFrames.Frame f : frames) {
            r.frames++;
            long stream = f.inIcmpError() || !f.lengthKnown() ? t.acceptUnanalyzed(f.segment()) : t.accept(f.segment());
            last = Math.max(last, f.segment().tsNanos);
            if (stream != f.stream()) {
                r.streamMismatches.add("frame " + f.segment().frame + ": stream " + stream + ", tshark " + f.stream());
            }
            int ours = comparable(t.lastAnalysis()), theirs = comparable(f.analysis());
            if (ours != theirs) {
                int diff = ours ^ theirs;
                for (int i = 0; i < AnalysisFlags.COUNT; i++) {
                    if ((diff & (1 << i)) != 0) {
                        r.flagDiffs[i]++;
                    }
                }
                r.flagMismatches.add("frame " + f.segment().frame + ": ours " + AnalysisFlags.names(ours) + ", tshark "
                        + AnalysisFlags.names(theirs));
            }
        }
        t.finish(last);
        return r;
    }
}
