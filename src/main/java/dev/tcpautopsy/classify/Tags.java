package dev.tcpautopsy.classify;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TcpFlags;

import java.util.EnumSet;
import java.util.Set;

/** The patterns that ride along with any verdict ({@code termination.tags}). */
final class Tags {
    private Tags() {
    }

    static Set<Tag> of(FlowView v) {
        Set<Tag> tags = EnumSet.noneOf(Tag.class);
        SideFacts c = v.f.client(), s = v.f.server();
        if (v.f.portReused()) {
            tags.add(Tag.PORT_REUSE);
        }
        if (!v.f.handshakeSeen()) {
            tags.add(Tag.MIDSTREAM);
        }
        if ((c.finFrame() != 0) != (s.finFrame() != 0) && c.rstCount() == 0 && s.rstCount() == 0
                || wentOnAfterFin(c, s) || wentOnAfterFin(s, c)) {
            tags.add(Tag.HALF_CLOSED);
        }
        if (c.packetsAfterRst() > 0 || s.packetsAfterRst() > 0) {
            tags.add(Tag.DATA_AFTER_RST);
        }
        if (v.f.outlived() != null) {
            tags.add(v.f.outlived().halfOpen() ? Tag.HALF_OPEN_RECOVERY : Tag.IGNORED_RST);
        }
        if (keepAliveRace(v, true) || keepAliveRace(v, false)) {
            tags.add(Tag.KEEPALIVE_RACE);
        }
        AppFacts app = v.f.app();
        if (app != null && app.requestLost()) {
            tags.add(Tag.REQUEST_LOST);
        }
        if (app != null && app.rejected()) {
            tags.add(Tag.APP_REJECTED);
        }
        for (boolean side : FlowView.BOTH) {
            Run run = v.run(side);
            if (run.keepAlives() > 0 && run.evidence() > 0) {
                tags.add(Tag.KEEPALIVE_UNANSWERED);
            }
            if (run.backoff() && run.tries().size() - run.keepAlives() >= 2) {
                tags.add(Tag.RETRANSMISSION_BACKOFF);
            }
        }
        return tags;
    }

    /** The spec's half-close: {@code closer} sent its FIN and {@code peer} went on sending new data afterwards. */
    private static boolean wentOnAfterFin(SideFacts closer, SideFacts peer) {
        return closer.finFrame() != 0 && peer.lastDataFrame() > closer.finFrame();
    }

    /**
     * Whether the peer's data {@code d} answers the closer's own last message: it acknowledges all of the
     * closer's data, and the closer sent its FIN less than one RTT after that message, without waiting
     * for a reply (a request and a close back to back; a TLS close_notify answered by the peer's). A
     * keep-alive race is a close after an idle time, crossed by new data that answers nothing.
     */
    private static boolean answers(FlowView v, boolean closer, TailPacket d, TailPacket fin) {
        SideFacts s = v.side(closer);
        if (fin == null || s.lastDataFrame() == 0 || s.lastDataFrame() > d.frame()) {
            return false;
        }
        return FlowView.has(d, TcpFlags.ACK) && d.ack() >= FlowView.dataEnd(s)
                && fin.tsNanos() - s.lastDataNanos() < v.rtt();
    }

    /**
     * KEEPALIVE_RACE: {@code closer}'s FIN (or RST with ACK) did not ack data the peer had already sent,
     * and that data's ack did not cover the FIN: they crossed in flight, within one RTT of each other.
     */
    static boolean keepAliveRace(FlowView v, boolean closer) {
        SideFacts s = v.side(closer);
        long window = v.rtt() * 3 / 2;
        TailPacket fin = v.tailFrame(s.finFrame());
        TailPacket rst = v.tailFrame(s.rstFrame());
        if (fin == null && rst == null) {
            return false;
        }
        for (TailPacket d : v.tail()) {
            if (d.fromClient() == closer || d.len() == 0 || FlowView.isRetransmission(d) || answers(v, closer, d, fin)) {
                continue;
            }
            if (fin != null && FlowView.has(fin, TcpFlags.ACK) && fin.ack() <= d.seq() && d.ack() <= s.finSeq()
                    && Math.abs(d.tsNanos() - fin.tsNanos()) <= window) {
                return true;
            }
            if (rst != null && FlowView.has(rst, TcpFlags.ACK) && (fin == null || fin.frame() > rst.frame())
                    && rst.ack() <= d.seq() && Math.abs(d.tsNanos() - rst.tsNanos()) <= window) {
                return true;
            }
        }
        return false;
    }
}
