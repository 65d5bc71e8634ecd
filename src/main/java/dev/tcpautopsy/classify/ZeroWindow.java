package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/** ZERO_WINDOW_STALL: a zero window held to the end while the peer probed it. */
final class ZeroWindow {
    private ZeroWindow() {
    }

    /** ZERO_WINDOW_STALL: one side's window stayed zero to the end and the other probed it; by the side that stopped reading. */
    static Verdict stall(FlowView v) {
        for (boolean z : FlowView.BOTH) {
            SideFacts zs = v.side(z);
            if (zs.zeroWindowFrame() == 0) {
                continue;
            }
            int probes = probesAfter(v, !z, zs.zeroWindowFrame());
            if (probes > 0) {
                return verdict(v, z, probes);
            }
        }
        return null;
    }

    /** Probes the prober sent after the zero window began; the flow's count when the tail does not reach back. */
    private static int probesAfter(FlowView v, boolean prober, long from) {
        if (!v.tailCovers(from)) {
            return (int) Math.min(Integer.MAX_VALUE, v.side(prober).zeroWindowProbes());
        }
        int n = 0;
        for (TailPacket p : v.tail()) {
            if (p.frame() > from && p.fromClient() == prober && FlowView.isProbe(p)) {
                n++;
            }
        }
        return n;
    }

    private static Verdict verdict(FlowView v, boolean z, int probes) {
        SideFacts zs = v.side(z), os = v.side(!z);
        String who = FlowView.name(z), other = FlowView.name(!z);
        long held = Math.max(zs.lastNanos(), os.lastNanos()) - zs.zeroWindowNanos();
        String ending;
        Verdict out;
        String start = "the " + who + " advertised a zero window from frame " + zs.zeroWindowFrame() + " and kept it for "
                + Units.secs(Math.max(0, held)) + " while the " + other + " sent " + probes + " zero-window probe"
                + (probes == 1 ? "" : "s") + " (the " + who + "'s application stopped reading)";
        Boolean rst = v.firstRstSender();
        if (rst != null) {
            SideFacts r = v.side(rst);
            ending = "; then the " + FlowView.name(rst) + " reset the connection (frame " + r.rstFrame() + ")";
            out = new Verdict(TerminationClass.ZERO_WINDOW_STALL, FlowView.by(z), start + ending);
            out.frame(r.rstFrame(), "RST from the " + FlowView.name(rst) + " ending the stall");
            out.saw(!rst, "ECONNRESET");
        } else if (os.finFrame() > zs.zeroWindowFrame() || zs.finFrame() > zs.zeroWindowFrame()) {
            boolean closer = os.finFrame() > zs.zeroWindowFrame() ? !z : z;
            long fin = v.side(closer).finFrame();
            out = new Verdict(TerminationClass.ZERO_WINDOW_STALL, FlowView.by(z), start + "; then the "
                    + FlowView.name(closer) + " closed with FIN (frame " + fin + ")");
            out.frame(fin, "FIN from the " + FlowView.name(closer));
            out.saw(!closer, "EOF");
        } else {
            long silence = v.f.captureEndNanos() - os.lastNanos();
            boolean gaveUp = silence >= 1_000_000_000L && silence > 2 * (os.lastNanos() - zs.zeroWindowNanos()) / Math.max(1, probes);
            out = new Verdict(TerminationClass.ZERO_WINDOW_STALL, FlowView.by(z), start + (gaveUp
                    ? "; then the " + other + " stopped probing" + (v.f.handedEarly() ? " for " + Units.secs(silence)
                    + " or more (its timeout)" : ", " + Units.secs(silence) + " before the capture ended (its timeout)")
                    : v.f.handedEarly() ? "; it was set aside during the stall" : "; the capture ended during the stall"));
            out.saw(!z, gaveUp ? "ETIMEDOUT" : "none");
        }
        out.frame(zs.zeroWindowFrame(), "zero window from the " + who + ", held to the end");
        TailPacket last = null;
        for (TailPacket p : v.tail()) {
            if (p.fromClient() != z && FlowView.isProbe(p) && p.frame() > zs.zeroWindowFrame()) {
                last = p;
            }
        }
        if (last != null) {
            out.frame(last.frame(), "last zero-window probe from the " + other);
        }
        return out;
    }
}
