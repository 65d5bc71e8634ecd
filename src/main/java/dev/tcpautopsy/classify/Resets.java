package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/**
 * The three classes of a RST from an endpoint itself, told apart by what it had sent and received
 * before: its own FIN and late data ({@code RST_AFTER_CLOSE}), unread data ({@code RST_UNREAD_DATA}),
 * neither ({@code RST_ABORT}). "The RST" is the first one of the flow.
 */
final class Resets {
    private Resets() {
    }

    /** RST_AFTER_CLOSE: the RST sender had sent its FIN, the peer then sent data it never acknowledged, and RST answered. */
    static Verdict afterClose(FlowView v) {
        Boolean r = v.firstRstSender();
        if (r == null) {
            return null;
        }
        SideFacts rs = v.side(r), p = v.side(!r);
        if (rs.finFrame() == 0 || rs.finFrame() > rs.rstFrame() || p.dataSegments() == 0 || p.unackedAtEnd() <= 0) {
            return null;
        }
        String who = FlowView.name(r), peer = FlowView.name(!r);
        TailPacket late = lateData(v, r);
        String lateAt = late != null ? " (frame " + late.frame() + ")" : "";
        String shape = signature(v, r, late);
        boolean crossed = late != null && late.frame() < rs.finFrame();
        String sent = crossed ? "'s " + Units.byteCount(p.unackedAtEnd()) + lateAt + " crossed it in flight and were never acknowledged"
                : " then sent " + p.unackedAtEnd() + " more " + (p.unackedAtEnd() == 1 ? "byte" : "bytes") + lateAt
                + ", never acknowledged";
        Verdict out = new Verdict(TerminationClass.RST_AFTER_CLOSE, FlowView.by(r), "the " + who + " closed with FIN (frame "
                + rs.finFrame() + "); the " + peer + sent + ", and the " + who + "'s closed socket answered with RST (frame "
                + rs.rstFrame() + shape + "): a write after the peer closed");
        out.frame(rs.finFrame(), "FIN from the " + who);
        out.frame(late != null ? late.frame() : 0, crossed ? "data from the " + peer + " crossing the FIN, never acknowledged"
                : "data from the " + peer + " after the FIN, never acknowledged");
        out.frame(rs.rstFrame(), "RST from the " + who + "'s closed socket");
        // Linux: the writer's next send fails with EPIPE; its recv returns EOF, since the FIN came first
        return out.saw(!r, "EPIPE");
    }

    /** The peer's first data segment beyond what the RST sender ever acknowledged. */
    private static TailPacket lateData(FlowView v, boolean r) {
        long acked = v.side(r).highestAck();
        for (TailPacket p : v.tail()) {
            if (p.fromClient() != r && p.len() > 0 && p.seq() + p.len() > acked) {
                return p;
            }
        }
        return null;
    }

    /** Names the Linux shape of the answering RST: bare, at the FIN's seq + 1 (or the FIN's seq when the data crossed it). */
    private static String signature(FlowView v, boolean r, TailPacket late) {
        SideFacts rs = v.side(r);
        if (rs.rstHasAck()) {
            return "";
        }
        String ackNote = late != null && late.ack() == rs.rstSeq() ? ", the late data's ack" : "";
        if (rs.rstSeq() == rs.finSeq() + 1) {
            return "; a bare RST at the FIN's seq + 1" + ackNote + ", the Linux signature";
        }
        if (rs.rstSeq() == rs.finSeq()) {
            return "; a bare RST at the FIN's seq" + ackNote + ", as Linux answers data that crossed its FIN";
        }
        return "; a bare RST";
    }

    /** RST_UNREAD_DATA: RST without FIN while data from the peer, received after the sender's own last data, was unread. */
    static Verdict unreadData(FlowView v) {
        Boolean r = v.firstRstSender();
        if (r == null) {
            return null;
        }
        SideFacts rs = v.side(r);
        if (rs.finFrame() != 0 && rs.finFrame() < rs.rstFrame()) {
            return null;
        }
        long unread = unread(v, r);
        if (unread <= 0) {
            return null;
        }
        String who = FlowView.name(r), peer = FlowView.name(!r);
        SideFacts p = v.side(!r);
        String since = rs.lastDataFrame() > 0 ? " after the " + who + "'s own last data (frame " + rs.lastDataFrame() + ")"
                : ", and the " + who + " had sent no data";
        // the wire shows the bytes arriving, never whether the application read them
        Verdict out = new Verdict(TerminationClass.RST_UNREAD_DATA, FlowView.by(r), "the " + who + " sent RST (frame "
                + rs.rstFrame() + ") without FIN; " + Units.byteCount(unread) + " from the " + peer + " had arrived" + since
                + ": most likely they were still unread when it closed, and close() with unread data sends RST instead"
                + " of FIN; " + (noSocket(v, r) ? "a bare RST at the data's ack is also what a host sends when the"
                + " connection's socket was already gone, and an abortive close (SO_LINGER 0) looks the same"
                : "an abortive close (SO_LINGER 0) after reading them looks the same on the wire"));
        out.frame(p.lastDataFrame() < rs.rstFrame() ? p.lastDataFrame() : 0, "last data from the " + peer + ", unread");
        out.frame(rs.rstFrame(), "RST from the " + who + " instead of FIN");
        return out.saw(!r, "ECONNRESET");
    }

    /**
     * Bytes the peer sent after the RST sender's last data that reached the sender before its RST: a RST
     * with ACK covers exactly what arrived; a bare RST answers the data that found the socket gone.
     */
    static long unread(FlowView v, boolean r) {
        SideFacts rs = v.side(r), p = v.side(!r);
        long after = p.bytesAfterPeerData();
        if (after <= 0) {
            return 0;
        }
        if (rs.rstHasAck()) {
            long late = Math.max(0, FlowView.dataEnd(p) - Math.max(rs.rstAck(), 1));
            return Math.max(0, after - late);
        }
        long late = 0;
        for (TailPacket d : v.tail()) {
            if (d.fromClient() != r && d.len() > 0 && !FlowView.isRetransmission(d) && d.frame() > rs.rstFrame()) {
                late += d.len();
            }
        }
        return Math.max(0, after - late);
    }

    /** RST_ABORT: a RST without unread data and without late data after a FIN; not a trailing RST after both FINs. */
    static Verdict abort(FlowView v) {
        Boolean r = v.firstRstSender();
        if (r == null) {
            return null;
        }
        SideFacts rs = v.side(r), p = v.side(!r);
        if (v.bothFinsBefore(rs.rstFrame())) {
            return null;
        }
        if (rs.packets() - rs.rstCount() + p.packets() - p.rstCount() <= 0) {
            return null;
        }
        String who = FlowView.name(r), peer = FlowView.name(!r);
        String fin = rs.finFrame() != 0 && rs.finFrame() < rs.rstFrame() ? " after its own FIN (frame " + rs.finFrame() + ")"
                : " without FIN";
        String maybe = maybeUnread(v, r);
        String how = noSocket(v, r) ? ": a bare RST answering the " + peer + "'s segment, as a host does when the connection's socket is already gone"
                : (maybe.isEmpty() ? " with nothing unread" : "") + ": an abortive close (SO_LINGER 0, a process or pool abort)";
        Verdict out = new Verdict(TerminationClass.RST_ABORT, FlowView.by(r), "the " + who + " sent RST (frame "
                + rs.rstFrame() + ")" + fin + how + maybe);
        out.frame(rs.rstFrame(), "RST from the " + who);
        return out.saw(!r, "ECONNRESET");
    }

    /** A bare first RST at exactly the ack of the peer's segment before it: the reply of a stack without the socket. */
    private static boolean noSocket(FlowView v, boolean r) {
        SideFacts rs = v.side(r);
        if (rs.rstHasAck()) {
            return false;
        }
        TailPacket prev = null;
        for (TailPacket p : v.tail()) {
            if (p.frame() >= rs.rstFrame()) {
                break;
            }
            if (p.fromClient() != r) {
                prev = p;
            }
        }
        return prev != null && FlowView.has(prev, TcpFlags.ACK) && prev.ack() == rs.rstSeq();
    }

    /**
     * The spec's ambiguity: data from the peer that came before the RST sender's own last data may have
     * been left unread (a pipelined request behind the one answered), and the wire cannot tell.
     */
    private static String maybeUnread(FlowView v, boolean r) {
        SideFacts rs = v.side(r), p = v.side(!r);
        if (p.lastDataFrame() == 0 || rs.lastDataFrame() == 0 || p.lastDataFrame() > rs.lastDataFrame()) {
            return "";
        }
        TailPacket last = v.tailFrame(p.lastDataFrame());
        String size = last != null ? Units.byteCount(last.len()) + ", " : "";
        return "; the " + FlowView.name(!r) + "'s last data (" + size + "frame " + p.lastDataFrame()
                + ") came before the " + FlowView.name(r) + "'s own last data (frame " + rs.lastDataFrame()
                + "): most likely it was read and answered, though a request pipelined behind the one answered"
                + " may have been left unread, which the wire cannot tell";
    }
}
