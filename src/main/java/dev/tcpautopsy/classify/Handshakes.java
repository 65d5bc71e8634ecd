package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/** The two classes decided in the handshake: {@code REFUSED} and {@code HANDSHAKE_TIMEOUT}. */
final class Handshakes {
    /**
     * Repeated SYNs closer than this are one SYN seen twice (a capture on two interfaces or VLANs), not a
     * retransmission: no stack retransmits a SYN within 200 ms (Linux waits 1 s, RFC 6298 says 1 s).
     */
    static final long MIN_SYN_RTO = 200_000_000L;
    /**
     * A lone SYN this long before the capture's end was a failed handshake, not one still under way:
     * every stack retransmits its first SYN within 3 s (Linux 1 s, Windows 3 s).
     */
    static final long LONE_SYN_WAIT = 3_000_000_000L;

    private Handshakes() {
    }

    /** REFUSED: the client's SYN was answered by RST, with no SYN-ACK; by middlebox when the RST's TTL is not the server's. */
    static Verdict refused(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        if (!v.f.handshakeSeen()) {
            return scanRefused(v);
        }
        if (s.synCount() > 0 || s.rstCount() == 0 || c.firstSynFrame() == 0
                || s.rstFrame() < c.firstSynFrame() || c.dataSegments() > 0) {
            return null;
        }
        String forged = Forgery.ttl(v, false);
        String syns = c.synCount() > 1 ? " (after " + c.synCount() + " SYNs)" : "";
        Verdict out;
        if (forged != null) {
            out = new Verdict(TerminationClass.REFUSED, By.MIDDLEBOX, "the client's SYN was answered by a RST (frame "
                    + s.rstFrame() + ")" + syns + " that the server did not send: " + forged);
            out.frame(s.rstFrame(), "RST in the server's name, TTL " + s.rstTtl() + ": a middlebox rejected the SYN");
        } else {
            out = new Verdict(TerminationClass.REFUSED, By.SERVER, "the client's SYN was answered by the server's RST (frame "
                    + s.rstFrame() + ")" + syns + ": nothing listens on port " + s.port() + ttlNote(v, s));
            out.frame(s.rstFrame(), "RST from the server answering the SYN");
        }
        return out.frame(c.firstSynFrame(), "SYN from the client").saw(true, "ECONNREFUSED");
    }

    /**
     * REFUSED for a scan probe (spec): a FIN, NULL or Xmas segment, which carries neither SYN nor ACK,
     * answered by RST from a closed port (RFC 793: a listening port drops such a segment silently).
     */
    private static Verdict scanRefused(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        if (c.packets() == 0 || s.packets() == 0 || s.rstCount() != s.packets() || c.rstCount() > 0
                || c.packets() + s.packets() > v.tail().length) {
            return null;
        }
        TailPacket probe = null;
        for (TailPacket p : v.tail()) {
            if (p.fromClient() && (FlowView.has(p, TcpFlags.SYN) || FlowView.has(p, TcpFlags.ACK))) {
                return null;
            }
            if (p.fromClient() && probe == null) {
                probe = p;
            }
        }
        if (probe == null || probe.frame() > s.rstFrame()) {
            return null;
        }
        String kind = scanKind(probe.flags());
        String forged = Forgery.ttl(v, false);
        Verdict out = new Verdict(TerminationClass.REFUSED, forged != null ? By.MIDDLEBOX : By.SERVER, "the client's "
                + kind + " (frame " + probe.frame() + "), a port scan's probe, was answered by "
                + (forged != null ? "a RST that the server did not send (frame " + s.rstFrame() + "): " + forged
                : "the server's RST (frame " + s.rstFrame() + "): the port is closed (a listening port drops such a probe)"));
        out.frame(probe.frame(), kind + " from the client");
        out.frame(s.rstFrame(), "RST answering the probe");
        return out; // a scanner sends raw segments: no socket, no error to see
    }

    private static String scanKind(int flags) {
        int f = flags & (TcpFlags.FIN | TcpFlags.PSH | TcpFlags.URG);
        if (f == 0) {
            return "NULL probe";
        }
        return f == (TcpFlags.FIN | TcpFlags.PSH | TcpFlags.URG) ? "Xmas probe" : "FIN probe";
    }

    private static String ttlNote(FlowView v, SideFacts s) {
        int base = v.hosts.ttlBaseline(s.ip());
        if (base == s.rstTtl()) {
            return " (its TTL " + s.rstTtl() + " matches the server's packets elsewhere in the capture)";
        }
        return base < 0 ? " (no other packet of the server in the capture to compare its TTL " + s.rstTtl() + " with)" : "";
    }

    /**
     * HANDSHAKE_TIMEOUT: SYNs retransmitted without a SYN-ACK (or one SYN long before the capture's end), or
     * SYN-ACKs retransmitted and the server never got the ACK; by server when the capture is on its host.
     */
    static Verdict timeout(FlowView v) {
        SideFacts c = v.f.client(), s = v.f.server();
        // a client that sent more than SYNs (an ACK, data) had its SYN-ACK: the server's direction is missing
        if (v.f.handshakeSeen() && s.packets() == 0 && c.packets() - c.rstCount() == c.synCount()) {
            return synUnanswered(v, c, s);
        }
        boolean onlySynAcks = s.synCount() >= 2 && s.packets() - s.rstCount() == s.synCount();
        if (onlySynAcks && s.lastSynNanos() - s.firstSynNanos() >= MIN_SYN_RTO) {
            return synAckUnacked(v, c, s);
        }
        return null;
    }

    private static Verdict synUnanswered(FlowView v, SideFacts c, SideFacts s) {
        long span = c.lastSynNanos() - c.firstSynNanos();
        boolean retried = c.synCount() >= 2 && span >= MIN_SYN_RTO;
        long waited = v.f.captureEndNanos() - c.lastSynNanos();
        if (!retried && waited < LONE_SYN_WAIT) {
            return null;
        }
        boolean onServer = v.hosts.isLocal(s.ip());
        String what;
        if (retried) {
            Run run = v.run(true);
            what = "the client sent its SYN " + Units.times(c.synCount()) + " over " + Units.secs(span)
                    + (run.gaps().length > 0 ? " (gaps " + run.gapList() + ")" : "") + " and no SYN-ACK came back";
        } else {
            what = "one SYN and no answer in the " + Units.secs(waited)
                    + (v.f.handedEarly() ? " that followed" : " the capture went on") + " (stacks retransmit a SYN "
                    + "within 1-3 s: the client gave up, or its retransmissions were not captured)";
        }
        String where = onServer
                ? "; the capture is on the server host (its packets elsewhere carry TTL " + v.hosts.ttlBaseline(s.ip())
                + "), so the SYNs reached it and it did not answer: a full accept queue or a host firewall"
                : "; from here a firewall dropping SYNs and a server not answering look alike";
        Verdict out = new Verdict(TerminationClass.HANDSHAKE_TIMEOUT, onServer ? By.SERVER : By.UNKNOWN, what + where);
        out.frame(c.firstSynFrame(), "SYN from the client");
        if (c.lastSynFrame() != c.firstSynFrame()) {
            out.frame(c.lastSynFrame(), "last SYN retransmission, unanswered");
        }
        boolean aborted = c.rstCount() > 0;
        if (aborted) {
            out.frame(c.rstFrame(), "the client gave up with RST");
        }
        return out.saw(true, aborted ? "none" : "ETIMEDOUT");
    }

    private static Verdict synAckUnacked(FlowView v, SideFacts c, SideFacts s) {
        boolean clientAcked = c.packets() - c.rstCount() > c.synCount();
        // a client that stopped sending SYNs while SYN-ACKs kept coming had received one: its connect() succeeded
        boolean clientConnected = clientAcked || c.synCount() == 1;
        boolean onServer = v.hosts.isLocal(s.ip()) && !v.hosts.isLocal(c.ip());
        boolean onClient = v.hosts.isLocal(c.ip()) && !v.hosts.isLocal(s.ip());
        By by = By.UNKNOWN;
        String why = clientAcked ? "; the client's ACKs were lost on the way"
                : clientConnected ? "; no ACK from the client reached the capture point, yet it sent no second SYN, so it had"
                + " its SYN-ACK and its ACKs were lost on the way"
                : "; the client kept retransmitting its SYN: the SYN-ACKs did not reach it";
        if (onServer && clientAcked) {
            by = By.SERVER;
            why = "; the client's ACKs reached the server host (the capture is there) and were not taken";
        } else if (onClient && !clientAcked) {
            by = By.CLIENT;
            why = "; the SYN-ACKs reached the client host (the capture is there) and it did not answer";
        }
        Run run = v.run(false);
        String gaps = run.gaps().length > 0 ? " (gaps " + run.gapList() + ")" : "";
        Verdict out = new Verdict(TerminationClass.HANDSHAKE_TIMEOUT, by, "the server sent its SYN-ACK "
                + Units.times(s.synCount()) + " over " + Units.secs(s.lastSynNanos() - s.firstSynNanos()) + gaps
                + " and never got the handshake's ACK" + why);
        out.frame(c.firstSynFrame(), "SYN from the client");
        out.frame(s.firstSynFrame(), "SYN-ACK from the server");
        out.frame(s.lastSynFrame(), "last SYN-ACK retransmission: the ACK never arrived");
        // a client whose ACK went out believes it is connected; one that kept sending SYNs times out
        return out.saw(true, clientConnected ? "none" : "ETIMEDOUT");
    }
}
