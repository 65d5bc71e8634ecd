package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/** The two middlebox classes: a RST its claimed sender did not send, and a working flow dropped in the path. */
final class Middlebox {
    private Middlebox() {
    }

    /** MIDDLEBOX_RST: RSTs towards both ends within one RTT, or a RST whose TTL / hop limit is not its claimed sender's. */
    static Verdict rst(FlowView v) {
        String both = Forgery.bothWays(v);
        if (both != null) {
            SideFacts c = v.f.client(), s = v.f.server();
            Verdict out = new Verdict(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX, both);
            String ttl = Forgery.ttl(v, true) != null ? Forgery.ttl(v, true) : Forgery.ttl(v, false);
            if (ttl != null) {
                out = new Verdict(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX, both + "; " + ttl);
            }
            return out.frame(c.rstFrame(), "RST in the client's name, towards the server, TTL " + c.rstTtl())
                    .frame(s.rstFrame(), "RST in the server's name, towards the client, TTL " + s.rstTtl())
                    .saw(true, "ECONNRESET").saw(false, "ECONNRESET");
        }
        Boolean first = v.firstRstSender();
        if (first == null) {
            return null;
        }
        for (boolean side : first ? FlowView.BOTH : FlowView.BOTH_SERVER_FIRST) {
            String ttl = Forgery.ttl(v, side);
            if (ttl != null) {
                return forged(v, side, ttl);
            }
        }
        return null;
    }

    private static Verdict forged(FlowView v, boolean side, String ttl) {
        SideFacts s = v.side(side);
        String who = FlowView.name(side), peer = FlowView.name(!side);
        String after = s.packetsAfterRst() > 0 ? "; the " + who + " kept sending after it (" + s.packetsAfterRst()
                + " packets, " + Units.byteCount(s.payloadAfterRst()) + "), which a host that reset never does" : "";
        Verdict out = new Verdict(TerminationClass.MIDDLEBOX_RST, By.MIDDLEBOX, "the " + peer + " got a RST (frame "
                + s.rstFrame() + ") that the " + who + " did not send: " + ttl + after);
        out.frame(s.rstFrame(), "RST in the " + who + "'s name, TTL " + s.rstTtl() + ": forged");
        out.frame(hit(v, side), "forged RST at exactly the " + peer + "'s expected sequence number: the one that took effect");
        out.frame(s.lastFrame() > s.rstFrame() && s.packetsAfterRst() > 0 ? s.lastFrame() : 0,
                "the " + who + " still sending after its supposed RST");
        out.saw(!side, "ECONNRESET");
        // the victim's stack resets whatever the other end sends next: that end sees a reset too
        SideFacts p = v.side(!side);
        if (p.rstCount() > 0) {
            out.saw(side, "ECONNRESET").frame(p.rstFrame(), "RST from the " + peer + ", whose connection was already gone");
        }
        return out;
    }

    /**
     * The forged RST in {@code side}'s name whose seq is exactly what the receiver expected next (RFC 5961:
     * only that one resets; tcpkill sends several, most outside the window); 0 when the tail shows none.
     */
    private static long hit(FlowView v, boolean side) {
        long expected = v.side(!side).highestAck();
        for (var p : v.tail()) {
            if (p.fromClient() == side && FlowView.isRst(p) && p.seq() == expected) {
                return p.frame();
            }
        }
        return 0;
    }

    /**
     * MIDDLEBOX_DROP: after the flow had worked, one side's retransmissions or probes went unanswered
     * (at least two beyond the peer's 500 ms answer rate limit) until it gave up or the capture ended.
     */
    static Verdict drop(FlowView v) {
        if (!v.working()) {
            return null;
        }
        for (boolean side : FlowView.BOTH) {
            Run run = v.run(side);
            SideFacts peer = v.side(!side);
            if (run.evidence() < 2 || peer.rstFrame() > run.answeredAt() && peer.rstCount() > 0) {
                continue;
            }
            return dropped(v, side, run);
        }
        return null;
    }

    private static Verdict dropped(FlowView v, boolean side, Run run) {
        SideFacts s = v.side(side);
        String who = FlowView.name(side), peer = FlowView.name(!side);
        StringBuilder what = new StringBuilder();
        int retx = run.tries().size() - run.keepAlives() - run.zwProbes();
        if (retx > 0 || run.tries().isEmpty()) {
            what.append("retransmitted ").append(Units.times(Math.max(retx, run.count())));
        }
        if (run.keepAlives() > 0) {
            what.append(what.length() > 0 ? " and " : "").append("sent ").append(run.keepAlives()).append(" keep-alive probes");
        }
        if (run.zwProbes() > 0) {
            what.append(what.length() > 0 ? " and " : "").append("sent ").append(run.zwProbes())
                    .append(" zero-window probes");
        }
        String gaps = run.gaps().length > 1 ? " (gaps " + run.gapList() + ")" : "";
        String since = run.answeredAt() > 0 ? " after frame " + run.answeredAt() : "";
        String end;
        if (run.giveUp() != null) {
            end = ", then gave up with RST (frame " + run.giveUp().frame() + ")";
        } else {
            long silence = v.f.captureEndNanos() - s.lastNanos();
            end = silence > 2 * lastGap(run) && silence >= 1_000_000_000L ? ", then fell silent for "
                    + Units.secs(silence) + (v.f.handedEarly() ? " or more" : "") + " (it gave up)"
                    : v.f.handedEarly() ? " until it was set aside" : " until the capture ended";
        }
        SideFacts silent = v.side(!side);
        boolean adjacent = HostContext.initialTtl(silent.ttl());
        String cause = adjacent ? ": the " + peer + "'s packets arrived with TTL " + silent.ttl() + ", unreduced, so no"
                + " router sits between it and the capture point to drop the flow: the " + peer + " host itself fell"
                + " silent (it vanished, or its own firewall drops the flow)"
                : ": a firewall, NAT or route dropping the flow (a " + peer + " host that vanished looks the same)";
        Verdict out = new Verdict(TerminationClass.MIDDLEBOX_DROP, adjacent ? FlowView.by(!side) : By.MIDDLEBOX,
                "after the flow had worked, the " + who + " " + what + gaps + " with no answer from the " + peer + since
                        + end + cause);
        out.frame(run.answeredAt(), "last segment from the " + peer);
        if (!run.tries().isEmpty()) {
            out.frame(run.tries().get(0).frame(), "first unanswered repeat from the " + who);
            out.frame(run.tries().get(run.tries().size() - 1).frame(), "last unanswered repeat from the " + who);
        }
        if (run.giveUp() != null) {
            out.frame(run.giveUp().frame(), "the " + who + " gives up with RST");
        }
        return out.saw(side, "ETIMEDOUT");
    }

    private static long lastGap(Run run) {
        return run.gaps().length == 0 ? 0 : run.gaps()[run.gaps().length - 1];
    }
}
