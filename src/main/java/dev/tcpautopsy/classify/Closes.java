package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/** The endings without a fault: {@code FIN_ORDERLY}, {@code OPEN_AT_END}; and {@code UNCLASSIFIED} when nothing fits. */
final class Closes {
    private Closes() {
    }

    /** FIN_ORDERLY: FINs both ways and every byte acknowledged (a trailing RST is still orderly); by the first FIN's sender. */
    static Verdict orderly(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        if (c.finFrame() == 0 || s.finFrame() == 0 || c.unackedAtEnd() > 0 || s.unackedAtEnd() > 0) {
            return null;
        }
        boolean clientFirst = c.finFrame() < s.finFrame();
        String first = FlowView.name(clientFirst), second = FlowView.name(!clientFirst);
        long f1 = Math.min(c.finFrame(), s.finFrame()), f2 = Math.max(c.finFrame(), s.finFrame());
        Verdict out;
        if (crossed(v)) {
            out = new Verdict(TerminationClass.FIN_ORDERLY, By.UNKNOWN, "both ends closed with FIN at once (frames " + f1
                    + " and " + f2 + "): the FINs crossed, neither acknowledges the other's, so neither closed first;"
                    + " every byte was acknowledged");
        } else {
            out = new Verdict(TerminationClass.FIN_ORDERLY, FlowView.by(clientFirst), "the " + first
                    + " closed first (FIN frame " + f1 + "), the " + second + " answered with its FIN (frame " + f2
                    + "); every byte was acknowledged");
        }
        Boolean rst = v.firstRstSender();
        if (rst != null) {
            out.also("the " + FlowView.name(rst) + "'s RST (frame " + v.side(rst).rstFrame()
                    + ") came after both FINs and changes nothing");
        }
        out.frame(c.finFrame(), "FIN from the client").frame(s.finFrame(), "FIN from the server");
        return out.saw(true, "EOF").saw(false, "EOF");
    }

    /** Whether neither FIN acknowledges the other's: a simultaneous close. Unknown (false) when a FIN is not in the tail. */
    private static boolean crossed(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        TailPacket cf = v.tailFrame(c.finFrame()), sf = v.tailFrame(s.finFrame());
        if (cf == null || sf == null) {
            return false;
        }
        return cf.ack() <= s.finSeq() && sf.ack() <= c.finSeq();
    }

    /** OPEN_AT_END: no RST and not both FINs when the capture ended; by the side that half-closed, else unknown. */
    static Verdict openAtEnd(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        if (c.rstCount() > 0 || s.rstCount() > 0 || c.finFrame() != 0 && s.finFrame() != 0) {
            return null;
        }
        if (v.missingSide() != null) {
            return null;
        }
        Run cr = v.run(true), sr = v.run(false);
        if (!v.working() && (cr.evidence() >= 2 || sr.evidence() >= 2) && v.f.handshakeComplete()) {
            return null;
        }
        long left = v.f.captureEndNanos() - v.f.endNanos();
        String tail = v.f.handedEarly()
                ? " when it was set aside before the end of the capture, after " + Units.secs(Math.max(0, left))
                + " of silence (last frame " + v.f.lastFrame() + ")"
                : " when the capture ended (last frame " + v.f.lastFrame() + ", " + Units.secs(Math.max(0, left))
                + " before the end)";
        if (c.finFrame() != 0 || s.finFrame() != 0) {
            boolean closer = c.finFrame() != 0;
            SideFacts cs = v.side(closer);
            Verdict out = new Verdict(TerminationClass.OPEN_AT_END, FlowView.by(closer), "the " + FlowView.name(closer)
                    + " half-closed (FIN frame " + cs.finFrame() + ") and the " + FlowView.name(!closer)
                    + " had not closed its direction" + tail);
            return out.frame(cs.finFrame(), "FIN from the " + FlowView.name(closer) + ": half-close")
                    .tag(Tag.HALF_CLOSED).saw(!closer, "EOF");
        }
        if (s.packets() == 0 && c.synCount() > 0) {
            return new Verdict(TerminationClass.OPEN_AT_END, By.UNKNOWN, "only the client's SYN (frame " + c.lastSynFrame()
                    + "), " + Units.secs(Math.max(0, v.f.captureEndNanos() - c.lastSynNanos()))
                    + (v.f.handedEarly() ? " before it was set aside (too many connections open at once)"
                    : " before the capture ended") + ": too soon to call it a handshake timeout")
                    .frame(c.lastSynFrame(), "SYN from the client, not yet answered");
        }
        return new Verdict(TerminationClass.OPEN_AT_END, By.UNKNOWN, "still open" + tail)
                .frame(v.f.lastFrame(), "last frame of the flow");
    }

    /** UNCLASSIFIED: no class fits; the reason names what was seen. */
    static Verdict unclassified(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        String why;
        if (c.packets() - c.rstCount() + s.packets() - s.rstCount() <= 0) {
            why = "only RST segments were captured (" + (c.rstCount() + s.rstCount())
                    + "): too little to tell what ended, or who";
        } else if (v.missingSide() != null) {
            boolean gone = v.missingSide();
            SideFacts seen = v.side(!gone);
            if (!v.f.handshakeSeen() && seen.packets() <= 3) {
                why = "only " + seen.packets() + (seen.packets() == 1 ? " segment" : " segments") + " of this connection, all from the "
                        + FlowView.name(!gone) + ", were captured (no handshake, nothing from the " + FlowView.name(gone)
                        + "): too little to tell how it ended";
            } else {
                String acked = v.f.handshakeSeen() ? (gone ? "SYN-ACK" : "SYN") : "segments";
                why = "a one-sided capture: no packet of the " + FlowView.name(gone) + " was captured, yet the "
                        + FlowView.name(!gone) + " acknowledged its " + acked + (seen.finFrame() != 0
                        ? " and sent FIN (frame " + seen.finFrame() + ")" : "")
                        + " (asymmetric routing or a half-duplex span port): the ending cannot be told";
            }
        } else if (c.finFrame() != 0 && s.finFrame() != 0) {
            why = "both sides sent FIN but " + Units.byteCount(c.unackedAtEnd() + s.unackedAtEnd())
                    + " were never acknowledged (the end of a transfer was lost or not captured)";
        } else if (!v.working()) {
            boolean client = v.run(true).evidence() >= 2;
            Run run = v.run(client);
            why = "the flow never worked: the " + FlowView.name(client) + "'s data was never acknowledged and was repeated "
                    + Units.times(run.count()) + (run.gaps().length > 1 ? " (gaps " + run.gapList() + ")" : "")
                    + "; a middlebox dropping it after the handshake, or a one-sided capture";
        } else {
            why = "no class of the contract fits (history " + v.f.history() + ")";
        }
        return new Verdict(TerminationClass.UNCLASSIFIED, By.UNKNOWN, why).frame(v.f.lastFrame(), "last frame of the flow");
    }
}
