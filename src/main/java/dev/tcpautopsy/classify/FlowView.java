package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.AnalysisFlags;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TcpFlags;

import java.util.List;

/**
 * One finished flow as the rules read it: its facts, what the capture says about its hosts, and the
 * few derived answers several rules share (who is who, the RTT to use, what the tail shows).
 * Sides are named by a boolean: {@code true} is the client.
 */
final class FlowView {
    /** The RTT the spec assumes when none was measured. */
    static final long DEFAULT_RTT = 100_000_000L;
    /** Linux answers repeated invalid segments at most once per {@code tcp_invalid_ratelimit} (500 ms). */
    static final long ANSWER_RATE_LIMIT = 500_000_000L;
    /** Both sides, client first or server first, for a loop over them (never changed). */
    static final boolean[] BOTH = {true, false};
    static final boolean[] BOTH_SERVER_FIRST = {false, true};

    final FlowFacts f;
    final HostContext hosts;
    final long idleNanos;
    /**
     * The flow's tail as an array: the rules loop over it again and again, and a loop over a list makes an
     * iterator each time that the quick compiler does not remove.
     */
    private final TailPacket[] tail;
    /** Each side's {@link Run}, made on first use: the tags and several rules ask for the same one. */
    private Run clientRun, serverRun;

    FlowView(FlowFacts f, HostContext hosts, long idleNanos) {
        this.f = f;
        this.hosts = hosts == null ? HostContext.NONE : hosts;
        this.idleNanos = idleNanos;
        List<TailPacket> t = f.tail();
        this.tail = new TailPacket[t.size()];
        for (int i = 0; i < tail.length; i++) {
            tail[i] = t.get(i);
        }
    }

    SideFacts side(boolean client) {
        return client ? f.client() : f.server();
    }

    /** {@link Run#of} for {@code sender}, computed once per side (a run is read, never changed). */
    Run run(boolean sender) {
        if (sender) {
            return clientRun != null ? clientRun : (clientRun = Run.of(this, true));
        }
        return serverRun != null ? serverRun : (serverRun = Run.of(this, false));
    }

    static String name(boolean client) {
        return client ? "client" : "server";
    }

    static By by(boolean client) {
        return client ? By.CLIENT : By.SERVER;
    }

    /** The handshake RTT when measured, else the spec's 100 ms. */
    long rtt() {
        return f.handshakeRttNanos() > 0 ? f.handshakeRttNanos() : DEFAULT_RTT;
    }

    /** The tail, oldest first; read, never changed. */
    TailPacket[] tail() {
        return tail;
    }

    /** Whether the tail reaches back to {@code frame} (so everything from it on is in the tail). */
    boolean tailCovers(long frame) {
        return frame > 0 && tail.length > 0 && tail[0].frame() <= frame;
    }

    /** The packet of {@code frame} in the tail, or {@code null} (also for frame 0: none). */
    TailPacket tailFrame(long frame) {
        if (frame <= 0) {
            return null;
        }
        for (TailPacket p : tail) {
            if (p.frame() == frame) {
                return p;
            }
        }
        return null;
    }

    /** The side whose first RST came first, or {@code null} when nobody reset. */
    Boolean firstRstSender() {
        long c = f.client().rstFrame(), s = f.server().rstFrame();
        if (c == 0 && s == 0) {
            return null;
        }
        return s == 0 || c != 0 && c < s;
    }

    /**
     * Payload bytes of {@code sender} that the peer acknowledged: the peer's highest ack, less the
     * SYN's and FIN's sequence numbers (relative sequence 1 is the first data byte).
     */
    long ackedData(boolean sender) {
        SideFacts s = side(sender), p = side(!sender);
        long top = p.highestAck();
        if (s.finSeq() >= 0) {
            top = Math.min(top, s.finSeq());
        }
        return s.dataSegments() == 0 ? 0 : Math.max(0, top - 1);
    }

    /**
     * The spec's "working": the handshake completed and at least one data segment was acknowledged; or,
     * mid-stream, the segments carry the ACK flag of an established connection.
     */
    boolean working() {
        if (f.handshakeComplete()) {
            return ackedData(true) > 0 || ackedData(false) > 0;
        }
        // mid-stream: segments that carry the ACK flag belong to a connection established before the capture
        return !f.handshakeSeen() && (f.client().highestAck() >= 0 || f.server().highestAck() >= 0);
    }

    /**
     * The side whose packets are missing although the other side acknowledged them (a one-sided capture:
     * asymmetric routing, a half-duplex span port), or {@code null} when both directions were captured.
     */
    Boolean missingSide() {
        for (boolean side : BOTH) {
            if (side(side).packets() == 0 && side(!side).highestAck() >= 1) {
                return side;
            }
        }
        return null;
    }

    /** Whether both FINs were sent before {@code frame}. */
    boolean bothFinsBefore(long frame) {
        long c = f.client().finFrame(), s = f.server().finFrame();
        return c != 0 && s != 0 && c < frame && s < frame;
    }

    /** Data end (relative) of a side: past its last payload byte. */
    static long dataEnd(SideFacts s) {
        return s.finSeq() >= 0 ? s.finSeq() : s.nextSeq();
    }

    static boolean has(TailPacket p, int flag) {
        return (p.flags() & flag) != 0;
    }

    static boolean isRst(TailPacket p) {
        return has(p, TcpFlags.RST);
    }

    static boolean isRetransmission(TailPacket p) {
        return (p.analysis() & AnalysisFlags.ANY_RETRANSMISSION) != 0;
    }

    /** Keep-alive-shaped: a zero- or one-byte segment one below the next sequence number (either flag). */
    static boolean isProbe(TailPacket p) {
        return (p.analysis() & (AnalysisFlags.KEEP_ALIVE | AnalysisFlags.ZERO_WINDOW_PROBE)) != 0;
    }

    /**
     * The window the peer of {@code sender} last advertised before {@code frame}, from the tail;
     * -1 when the tail does not show one. A RST's window is no advertisement.
     */
    long peerWindowBefore(boolean sender, long frame) {
        long w = -1;
        for (TailPacket p : tail) {
            if (p.frame() >= frame) {
                break;
            }
            if (p.fromClient() != sender && !isRst(p)) {
                w = p.window();
            }
        }
        return w;
    }

    /** A probe sent while the peer's window was zero is a zero-window probe, else a keep-alive. */
    boolean isZeroWindowProbe(TailPacket p) {
        if ((p.analysis() & AnalysisFlags.ZERO_WINDOW_PROBE) != 0) {
            return true;
        }
        if ((p.analysis() & AnalysisFlags.KEEP_ALIVE) == 0) {
            return false;
        }
        long w = peerWindowBefore(p.fromClient(), p.frame());
        if (w >= 0) {
            return w == 0;
        }
        SideFacts peer = side(!p.fromClient());
        return peer.zeroWindowFrame() != 0 && peer.zeroWindowFrame() < p.frame();
    }

    String filter() {
        return "tcp.stream eq " + f.stream();
    }
}
