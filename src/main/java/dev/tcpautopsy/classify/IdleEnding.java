package dev.tcpautopsy.classify;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.app.AppMessage;

import dev.tcpautopsy.flow.FlowFacts.Gap;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.model.Units;

/**
 * IDLE_TIMEOUT: an idle gap at or above the threshold, then the ending. The three endings the spec
 * names are tried on what follows the last long gap: the FIN or RST itself; a last message whose
 * sender's own FIN or RST follows before the peer sends data (a goodbye); data or a keep-alive probe
 * answered only by a RST or by nothing.
 */
final class IdleEnding {
    /** A close within this long of a message (or two RTTs, when longer) answers it. */
    private static final long REACTION_FLOOR = 200_000_000L;

    private IdleEnding() {
    }

    /** IDLE_TIMEOUT: the last long idle gap is followed by the ending; by the closer, or middlebox when dropped or forged. */
    static Verdict test(FlowView v) {
        Verdict quiet = afterSilence(v);
        return quiet != null ? quiet : afterDataIdle(v);
    }

    /** The idle gap proper: no segment at all, then the ending. */
    private static Verdict afterSilence(FlowView v) {
        Gap g = v.f.lastLongIdle();
        if (g == null || g.nanos() < v.idleNanos) {
            return null;
        }
        TailPacket next = v.tailFrame(g.beforeFrame());
        if (next == null) {
            return closeWithoutTail(v, g);
        }
        boolean e = next.fromClient();
        if (FlowView.has(next, TcpFlags.FIN) || FlowView.isRst(next)) {
            return closed(v, g, e, next.frame(), "");
        }
        if (next.len() == 0 && !FlowView.isProbe(next)) {
            return null;
        }
        if (!peerSpokeAfter(v, !e, g.beforeFrame())) {
            return unanswered(v, g, e, next);
        }
        Verdict crossed = crossedClose(v, g, e, next);
        if (crossed != null) {
            return crossed;
        }
        long close = closeAfter(v.side(e), g.beforeFrame());
        String bye = goodbye(v, e, next, close);
        return bye == null ? null : closed(v, g, e, close, bye);
    }

    /**
     * The keep-alive race: the first segment after the gap is {@code e}'s data, but the peer's close that
     * follows does not acknowledge it: the peer closed without having seen it, after an idle gap that
     * lasted, as the peer saw it, until its own close. The timer was the peer's; the data crossed it.
     */
    private static Verdict crossedClose(FlowView v, Gap g, boolean e, TailPacket data) {
        if (data.len() == 0) {
            return null;
        }
        SideFacts p = v.side(!e);
        long closeFrame = closeAfter(p, data.frame());
        TailPacket close = v.tailFrame(closeFrame);
        if (close == null || !FlowView.has(close, TcpFlags.ACK) || close.ack() > data.seq()
                || peerDataBetween(v, !e, data.frame(), closeFrame)) {
            return null;
        }
        TailPacket before = v.tailFrame(g.afterFrame());
        long silence = before == null ? -1 : close.tsNanos() - before.tsNanos();
        if (silence < v.idleNanos) {
            return null;
        }
        Gap seen = new Gap(silence, g.afterFrame(), closeFrame);
        return closed(v, seen, !e, closeFrame, "").also("the " + FlowView.name(e) + "'s data (" + Units.byteCount(data.len())
                + ", frame " + data.frame() + ") reached the capture point first but crossed that close in flight: the "
                + FlowView.name(!e) + "'s close does not acknowledge it, so its idle timer had fired without it (a keep-alive race)")
                .frame(data.frame(), "data from the " + FlowView.name(e) + ", crossing the close");
    }

    /**
     * The data-idle gap (spec): no data either way, though keep-alives may have crossed, which an
     * application's idle timer does not see; then an endpoint's own FIN or RST, or its last message and
     * then its FIN or RST before the peer sent data. Only an endpoint's own close counts here: a
     * middlebox's expiry is judged on the idle gap proper, since keep-alives refresh its state, and an
     * endpoint that reset after unanswered probes or retransmissions gave up on a silent peer.
     */
    private static Verdict afterDataIdle(FlowView v) {
        Gap g = v.f.lastLongDataIdle();
        if (g == null || g.nanos() < v.idleNanos || stalled(v, g.beforeFrame())) {
            return null;
        }
        TailPacket next = v.tailFrame(g.beforeFrame());
        boolean e;
        long close;
        String before = "";
        if (next == null) {
            Boolean side = closerAt(v, g.beforeFrame());
            if (side == null) {
                return null;
            }
            e = side;
            close = g.beforeFrame();
        } else {
            e = next.fromClient();
            if (FlowView.has(next, TcpFlags.FIN) || FlowView.isRst(next)) {
                close = next.frame();
            } else {
                close = closeAfter(v.side(e), g.beforeFrame());
                before = goodbye(v, e, next, close);
                if (before == null) {
                    return null;
                }
            }
        }
        if (v.side(e).rstFrame() == close && forged(v, e) != null || v.run(e).evidence() > 0) {
            return null; // forged, or its close went unanswered: the path, not its timer, decides
        }
        String idle = "no data either way for " + Units.secs(g.nanos()) + " (frames " + g.afterFrame() + "-"
                + g.beforeFrame() + ", threshold " + Units.secs(v.idleNanos) + "; keep-alives or bare ACKs that crossed"
                + " in between do not reset an application's idle timer), then " + before;
        return closing(v, g, e, close, idle);
    }

    /** A zero window held from before {@code frame} on: a writer blocked by a reader, never an idle one (spec). */
    private static boolean stalled(FlowView v, long frame) {
        long c = v.f.client().zeroWindowFrame(), s = v.f.server().zeroWindowFrame();
        return c != 0 && c < frame || s != 0 && s < frame;
    }

    /** The side whose FIN or first RST is {@code frame}, or {@code null}. */
    private static Boolean closerAt(FlowView v, long frame) {
        for (boolean side : FlowView.BOTH) {
            SideFacts s = v.side(side);
            if (s.finFrame() == frame || s.rstFrame() == frame) {
                return side;
            }
        }
        return null;
    }

    /** The tail does not reach back to the gap: only "the first segment after it is the FIN or RST" can be told. */
    private static Verdict closeWithoutTail(FlowView v, Gap g) {
        for (boolean side : FlowView.BOTH) {
            SideFacts s = v.side(side);
            if (s.finFrame() == g.beforeFrame() || s.rstFrame() == g.beforeFrame()) {
                return closed(v, g, side, g.beforeFrame(), "");
            }
        }
        return null;
    }

    private static Verdict closed(FlowView v, Gap g, boolean e, long closeFrame, String before) {
        String idle = "no segment for " + Units.secs(g.nanos()) + " (frames " + g.afterFrame() + "-" + g.beforeFrame()
                + ", threshold " + Units.secs(v.idleNanos) + "), then " + before;
        return closing(v, g, e, closeFrame, idle);
    }

    /** The endpoint {@code e} closed at {@code closeFrame} after the gap {@code g} that {@code idle} describes. */
    private static Verdict closing(FlowView v, Gap g, boolean e, long closeFrame, String idle) {
        SideFacts s = v.side(e);
        String who = FlowView.name(e);
        boolean rst = s.rstFrame() == closeFrame;
        Verdict out;
        if (!rst) {
            out = new Verdict(TerminationClass.IDLE_TIMEOUT, FlowView.by(e), idle + "the " + who + " closed with FIN (frame "
                    + closeFrame + "): an application idle timeout");
            out.frame(closeFrame, "FIN from the " + who + " after the idle gap").saw(!e, "EOF");
        } else {
            String forged = forged(v, e);
            if (forged != null) {
                out = new Verdict(TerminationClass.IDLE_TIMEOUT, By.MIDDLEBOX, idle + "a RST in the " + who
                        + "'s name (frame " + closeFrame + ") that the " + who + " did not send: " + forged);
                out.frame(closeFrame, "RST forged in the " + who + "'s name after the idle gap");
            } else {
                out = new Verdict(TerminationClass.IDLE_TIMEOUT, FlowView.by(e), idle + "the " + who + " reset it (frame "
                        + closeFrame + "): an idle timeout closing with RST");
                out.frame(closeFrame, "RST from the " + who + " after the idle gap");
            }
            out.saw(!e, "ECONNRESET");
        }
        out.frame(g.afterFrame(), "last segment before the idle gap");
        if (closeFrame != g.beforeFrame()) {
            out.frame(g.beforeFrame(), "first segment after the idle gap, from the " + who);
        }
        return out;
    }

    /** Data or a probe after the gap that nobody answered, except perhaps with a RST. */
    private static Verdict unanswered(FlowView v, Gap g, boolean e, TailPacket next) {
        String who = FlowView.name(e), peer = FlowView.name(!e);
        String what = next.len() > 0 ? "the " + who + "'s data (" + Units.byteCount(next.len()) + ", frame " + next.frame() + ")"
                : "the " + who + "'s keep-alive probe (frame " + next.frame() + ")";
        String idle = "no segment for " + Units.secs(g.nanos()) + " (frames " + g.afterFrame() + "-" + g.beforeFrame()
                + ", threshold " + Units.secs(v.idleNanos) + "), then " + what;
        SideFacts p = v.side(!e);
        if (p.rstFrame() > g.beforeFrame()) {
            String forged = forged(v, !e);
            Verdict out;
            if (forged != null) {
                out = new Verdict(TerminationClass.IDLE_TIMEOUT, By.MIDDLEBOX, idle + " was answered only by a RST in the "
                        + peer + "'s name (frame " + p.rstFrame() + ") that the " + peer + " did not send: " + forged
                        + "; a firewall or NAT that forgot the idle flow");
                out.frame(p.rstFrame(), "RST forged in the " + peer + "'s name");
            } else {
                out = new Verdict(TerminationClass.IDLE_TIMEOUT, FlowView.by(!e), idle + " was answered only by the "
                        + peer + "'s RST (frame " + p.rstFrame() + ")" + noSocket(v, e, p)
                        + ": the " + peer + " had forgotten the idle connection");
                out.frame(p.rstFrame(), "RST from the " + peer + " answering it");
            }
            return out.frame(g.afterFrame(), "last segment before the idle gap")
                    .frame(next.frame(), "first segment after the idle gap, never acknowledged").saw(e, "ECONNRESET");
        }
        Run run = v.run(e);
        SideFacts s = v.side(e);
        boolean gaveUp = run.giveUp() != null && !run.tries().isEmpty();
        if (run.evidence() < 2 && !gaveUp) {
            return null;
        }
        int repeats = run.tries().size() - (run.tries().contains(next) ? 1 : 0);
        String tries = repeats <= 0 ? "" : ", repeated " + Units.times(repeats)
                + (run.gaps().length > 1 ? " (gaps " + run.gapList() + ")" : "");
        String end = gaveUp ? ", until the " + who + " gave up with RST (frame " + run.giveUp().frame() + ")"
                : ", then silence";
        Verdict out = new Verdict(TerminationClass.IDLE_TIMEOUT, By.MIDDLEBOX, idle + " was never answered" + tries + end
                + ": a NAT or firewall that forgot the idle flow drops it (or the " + peer + " host vanished)");
        out.frame(g.afterFrame(), "last segment before the idle gap");
        out.frame(next.frame(), "first segment after the idle gap, never answered");
        if (!run.tries().isEmpty()) {
            out.frame(run.tries().get(run.tries().size() - 1).frame(), "last unanswered repeat");
        }
        if (gaveUp) {
            out.frame(run.giveUp().frame(), "the " + who + " gives up with RST");
        }
        return out.saw(e, s.rstCount() > 0 && !gaveUp ? "ECONNRESET" : "ETIMEDOUT");
    }

    /** " (a bare RST at seq = the data's ack: the reply of a host without the socket)" when it has that shape. */
    private static String noSocket(FlowView v, boolean e, SideFacts p) {
        TailPacket rst = v.tailFrame(p.rstFrame());
        if (rst == null || FlowView.has(rst, TcpFlags.ACK)) {
            return "";
        }
        for (TailPacket d : v.tail()) {
            if (d.fromClient() == e && d.frame() < rst.frame() && d.ack() == rst.seq() && d.len() > 0) {
                return " (a bare RST at seq = the data's ack: the reply of a host that has no such connection)";
            }
        }
        return "";
    }

    private static String forged(FlowView v, boolean side) {
        String ttl = Forgery.ttl(v, side);
        return ttl != null ? ttl : Forgery.bothWays(v);
    }

    private static boolean peerSpokeAfter(FlowView v, boolean peer, long frame) {
        for (TailPacket p : v.tail()) {
            if (p.frame() > frame && p.fromClient() == peer && !FlowView.isRst(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerDataBetween(FlowView v, boolean peer, long from, long to) {
        for (TailPacket p : v.tail()) {
            if (p.frame() > from && p.frame() < to && p.fromClient() == peer && p.len() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The clause for a goodbye (spec): {@code msg}, a last message from {@code e}, whose own close at
     * {@code close} follows before the peer sends any data; {@code null} when it is none. When the
     * applications' messages were read, they decide: the message is a goodbye when its words are one (an
     * error, a refusal, an alert), and no goodbye when they are an answer of another kind (a long poll's
     * response, an FTP 226). A peer that closed in between did so at once in answer to the message (an FTP
     * or SMTP 421 is answered so) only when its words say goodbye: on the wire alone, a client closing
     * after the last part of a response looks just the same.
     */
    private static String goodbye(FlowView v, boolean e, TailPacket msg, long close) {
        if (msg.len() == 0 || close == 0 || peerDataBetween(v, !e, msg.frame(), close)) {
            return null;
        }
        String who = FlowView.name(e), peer = FlowView.name(!e);
        AppMessage said = saidGoodbye(v, e, msg.frame(), close);
        boolean known = v.f.app() != null && v.f.app().protocol() != null;
        if (known && said == null) {
            return null;
        }
        String message = "a last message from the " + who + " (" + Units.byteCount(msg.len()) + ", frame " + msg.frame()
                + (said == null ? "" : ": " + AppClause.quoted(said.text())) + ")";
        SideFacts p = v.side(!e);
        long peerClose = closeAfter(p, msg.frame());
        if (peerClose == 0 || peerClose > close) {
            return message + ", then ";
        }
        long peerNanos = p.finFrame() == peerClose ? p.finNanos() : p.rstNanos();
        TailPacket answer = v.tailFrame(peerClose);
        if (said == null || peerNanos - msg.tsNanos() > Math.max(2 * v.rtt(), REACTION_FLOOR) || answer == null
                || !FlowView.has(answer, TcpFlags.ACK) || answer.ack() < msg.seq() + msg.len()) {
            return null; // a close on its own, one that had not seen the message, or words that were no goodbye
        }
        return message + ", which the " + peer + " answered at once by closing (frame " + peerClose + "), then ";
    }

    /** The goodbye the applications' messages show from {@code e} between {@code from} and its close, {@code null} when none. */
    private static AppMessage saidGoodbye(FlowView v, boolean e, long from, long close) {
        AppFacts app = v.f.app();
        AppMessage g = app == null ? null : app.goodbye();
        if (g == null || !g.from().equals(FlowView.name(e)) || g.frame() < from || g.frame() > close) {
            return null;
        }
        return g;
    }

    /** The side's FIN or first RST after {@code frame}, whichever came first; 0 when none. */
    private static long closeAfter(SideFacts s, long frame) {
        long fin = s.finFrame() > frame ? s.finFrame() : 0;
        long rst = s.rstFrame() > frame ? s.rstFrame() : 0;
        if (fin == 0) {
            return rst;
        }
        return rst == 0 ? fin : Math.min(fin, rst);
    }
}
