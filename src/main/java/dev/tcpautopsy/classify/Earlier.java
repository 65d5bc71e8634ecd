package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.Outlived;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.Units;

/**
 * What came before the ending, which every verdict must mention (spec: <em>Reasons say what the wire
 * shows</em>): a RST the connection outlived, and each FIN sent before the ending that the reason does
 * not name yet ("who closed first" is often the question). A side whose application had most likely
 * closed its socket before a RST saw nothing of that RST.
 */
final class Earlier {
    private Earlier() {
    }

    static void mention(FlowView v, Verdict out) {
        long ending = out.lastFrame();
        for (boolean side : FlowView.BOTH) {
            SideFacts s = v.side(side);
            long fin = s.finFrame();
            if (fin != 0 && fin < ending && !names(out, fin)) {
                out.also("the " + FlowView.name(side) + " had closed its direction with FIN (frame " + fin + ") before");
                out.frame(fin, "FIN from the " + FlowView.name(side) + ", before the ending");
            }
        }
        closedBeforeReset(v, out);
        outlived(v, out);
    }

    /** Whether the verdict's reason names {@code frame} (a search of its text: asked last). */
    private static boolean names(Verdict out, long frame) {
        String r = out.reason(), n = String.valueOf(frame);
        for (int i = r.indexOf(n); i >= 0; i = r.indexOf(n, i + 1)) {
            boolean startOk = i > 0 && (r.charAt(i - 1) == ' ' || r.charAt(i - 1) == '-');
            boolean endOk = i + n.length() == r.length() || !Character.isDigit(r.charAt(i + n.length()));
            if (startOk && endOk && r.lastIndexOf("frame", i) >= Math.max(0, i - 12)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A side that sent its FIN before the RST that ended the connection, and did not go on reading (it
     * acknowledged no data that came after its FIN), had most likely closed its socket: a closed socket
     * reports no error. If its FIN answered the peer's, it had read that FIN as the end of the stream
     * first (a proxy logs it as the server closing: HAProxy's SH, nginx's "upstream prematurely closed").
     * One that acknowledged later data had only shut down its sending side.
     */
    private static void closedBeforeReset(FlowView v, Verdict out) {
        Boolean r = v.firstRstSender();
        if (r == null) {
            return;
        }
        long rst = v.side(r).rstFrame();
        for (boolean side : FlowView.BOTH) {
            SideFacts s = v.side(side);
            String saw = out.saw(side);
            if (s.finFrame() == 0 || s.finFrame() > rst || !("ECONNRESET".equals(saw) || "EPIPE".equals(saw))
                    || readAfterFin(v, side)) {
                continue;
            }
            long peerFin = v.side(!side).finFrame();
            if (peerFin != 0 && peerFin < s.finFrame()) {
                // it closed in answer to the peer's FIN: what it saw was that FIN, as the end of the stream
                out.saw(side, "EOF");
                out.also("the " + FlowView.name(side) + "'s application had most likely read the " + FlowView.name(!side)
                        + "'s FIN (frame " + peerFin + ") as the end of the stream and closed its socket (FIN frame "
                        + s.finFrame() + "), so the RST found no socket to report to");
                continue;
            }
            out.saw(side, "none");
            out.also("the " + FlowView.name(side) + "'s application had most likely closed its socket with its FIN (frame "
                    + s.finFrame() + "), so it saw no error");
        }
    }

    /** Whether {@code side} acknowledged data from its peer that was sent after {@code side}'s FIN. */
    private static boolean readAfterFin(FlowView v, boolean side) {
        long fin = v.side(side).finFrame();
        long lateEnd = -1;
        for (TailPacket p : v.tail()) {
            if (p.frame() <= fin) {
                continue;
            }
            if (p.fromClient() != side && p.len() > 0 && !FlowView.isRst(p)) {
                lateEnd = Math.max(lateEnd, p.seq() + p.len());
            } else if (p.fromClient() == side && lateEnd >= 0 && !FlowView.isRst(p)
                    && FlowView.has(p, TcpFlags.ACK) && p.ack() >= lateEnd) {
                return true;
            }
        }
        return false;
    }

    /** The RST the connection outlived: named, with its TTL when that proves it forged. */
    private static void outlived(FlowView v, Verdict out) {
        Outlived o = v.f.outlived();
        if (o == null) {
            return;
        }
        String who = FlowView.name(o.fromClient());
        if (o.halfOpen()) {
            SideFacts c = v.f.client();
            long delay = c.lastSynNanos() - c.firstSynNanos() + Math.max(0, v.f.handshakeRttNanos());
            out.also("before that, the client reset an ACK for a stale connection (frame " + o.frame()
                    + ") and retried its SYN (frame " + c.lastSynFrame() + "), which completed the handshake"
                    + " (half-open recovery): a connect that took " + Units.secs(delay) + ", not an ending");
            out.frame(o.frame(), "RST from the client in its handshake, followed by a retried SYN");
            out.frame(c.lastSynFrame(), "the client's retried SYN, same ISN");
            return;
        }
        String forged = Forgery.foreignTtl(v, o.fromClient(), o.ttl());
        String more = o.count() > 1 ? " (" + o.count() + " RSTs in all)" : "";
        out.also("a RST in the " + who + "'s name (frame " + o.frame() + ")" + more
                + " did not end the connection: both sides went on and acknowledged each other"
                + (forged != null ? "; " + forged + ": forged by a device in the path" : ""));
        out.frame(o.frame(), forged != null ? "RST in the " + who + "'s name, TTL " + o.ttl() + ": forged, and ignored"
                : "RST from the " + who + ", which the connection outlived");
    }
}
