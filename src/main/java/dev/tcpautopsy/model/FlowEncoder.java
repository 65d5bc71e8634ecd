package dev.tcpautopsy.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes flows in their encoded form, the compact bytes that flow sets hold and that {@link FlowRecord}
 * reads back: numbers as zigzag variable-length integers (small ones, the most common, in one byte),
 * strings as their UTF-8 bytes with their length (those that recur in every flow, such as errno names and
 * endpoint states, as a code), absent values as a flag. A flow without details takes some 300 bytes rather
 * than 1.3 KB of objects. Written and read by the same process only, so there is no versioning.
 *
 * <p>A flow is written by calls in this order, each once: {@link #begin}, {@link #endpoints},
 * {@link #span}, {@link #termination}, {@link #direction} for the client then the server, {@link #timing},
 * {@link #app}, {@link #details}; then {@link #bytes} and {@link #length} hold it. {@link #encode} makes
 * those calls for a model {@link Flow}; the analysis makes them from what it tracked, with no
 * {@code Flow} in between.
 */
public final class FlowEncoder {
    /** Strings written as a code, in code order; a string longer than {@link #MAX_CODED} never is. */
    static final String[] KNOWN = {"", "client", "server", "none", "EOF", "ECONNRESET", "EPIPE", "ETIMEDOUT",
        "ECONNREFUSED", "S", "SA", "A", "PA", "FA", "FPA", "R", "RA", "F", "INACTIVE", "SYN_SENT", "SYN_ACK_SENT",
        "PARTIAL", "ESTABLISHED", "CLOSED", "RESET", "retransmission", "fast_retransmission",
        "spurious_retransmission", "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
        "zero_window", "zero_window_probe", "window_full", "keep_alive", "keep_alive_ack", "window_update",
        "zero_window_probe_ack", "reused_ports"};
    static final int MAX_CODED = 32;
    /** The UTF-8 bytes of each code's string: what a reader hands out for it, and their text bits. */
    static final byte[][] KNOWN_BYTES = new byte[KNOWN.length][];
    static final int[] KNOWN_BITS = new int[KNOWN.length];
    /**
     * What a string's length carries in its three low bits: all its bytes are ASCII; none needs an escape in
     * JSON (no control character, quote or backslash); none makes a CSV cell need quotes (no comma, quote or
     * line break).
     */
    static final int ASCII = 1, JSON_PLAIN = 2, CSV_PLAIN = 4;

    static {
        for (int i = 0; i < KNOWN.length; i++) {
            KNOWN_BYTES[i] = KNOWN[i].getBytes(StandardCharsets.UTF_8);
            KNOWN_BITS[i] = Writer.textBits(KNOWN_BYTES[i], 0, KNOWN_BYTES[i].length);
        }
    }

    /** Bits of the flags byte after the span. */
    static final int HANDSHAKE_SEEN = 1, HALF_CLOSED = 2;
    /** Bits of a direction's presence byte. */
    static final int PRESENT = 1, HAS_ANALYSIS = 2, ANY_COUNT = 4;
    /** Per-direction analysis counts, in {@link AnalysisCounts}' order. */
    static final int COUNTS = 13;

    private final Writer w = new Writer();

    /** The encoded flow, valid until the next {@link #begin}: {@code bytes()[0 .. length())}. */
    public byte[] bytes() {
        return w.buf;
    }

    public int length() {
        return w.len;
    }

    /** The stream number of the flow encoded at {@code b[off ..)}. */
    public static long stream(byte[] b, int off) {
        return Reader.longAt(b, off);
    }

    /** The first frame of the flow encoded at {@code b[off ..)}. */
    public static long firstFrame(byte[] b, int off) {
        int p = Reader.skipLong(b, off);
        p = Reader.skipString(b, p);
        p = Reader.skipLong(b, p);
        p = Reader.skipString(b, p);
        p = Reader.skipLong(b, p);
        return Reader.longAt(b, p);
    }

    /** Encodes a model flow. */
    public FlowEncoder encode(Flow f) {
        begin(f.stream());
        endpoints(f.client().ip(), f.client().port(), f.server().ip(), f.server().port());
        span(f.firstFrame(), f.lastFrame(), f.start(), f.end(), f.handshakeSeen(), f.halfClosed());
        termination(f.termination());
        direction(f.fromClient());
        direction(f.fromServer());
        timing(f.handshakeRttMicros(), f.longestIdle(), f.history());
        app(f.app());
        details(f.transitions(), f.lastPackets());
        return this;
    }

    /** Starts a flow. */
    public void begin(long stream) {
        w.reset();
        w.writeLong(stream);
    }

    public void endpoints(String clientIp, int clientPort, String serverIp, int serverPort) {
        w.writeString(clientIp);
        w.writeLong(clientPort);
        w.writeString(serverIp);
        w.writeLong(serverPort);
    }

    /** Frames and times of the first and last segment ({@code null} instants: unknown), and the two flags. */
    public void span(long firstFrame, long lastFrame, Instant start, Instant end, boolean handshakeSeen,
                     boolean halfClosed) {
        w.writeLong(firstFrame);
        w.writeLong(lastFrame);
        w.instant(start);
        w.instant(end);
        w.writeByte((handshakeSeen ? HANDSHAKE_SEEN : 0) | (halfClosed ? HALF_CLOSED : 0));
    }

    /** As {@link #span(long, long, Instant, Instant, boolean, boolean)}, with the times as epoch nanoseconds. */
    public void span(long firstFrame, long lastFrame, long startNanos, long endNanos, boolean handshakeSeen,
                     boolean halfClosed) {
        w.writeLong(firstFrame);
        w.writeLong(lastFrame);
        w.instant(startNanos);
        w.instant(endNanos);
        w.writeByte((handshakeSeen ? HANDSHAKE_SEEN : 0) | (halfClosed ? HALF_CLOSED : 0));
    }

    public void termination(Termination t) {
        w.writeByte(t.cls().ordinal());
        w.writeByte(t.by().ordinal());
        w.writeString(t.reason());
        w.writeString(t.filter());
        List<Evidence> evidence = t.evidence();
        w.writeLong(evidence.size());
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            w.writeLong(e.frame());
            w.writeString(e.note());
            w.strings(e.headerDump());
        }
        List<Tag> tags = t.tags();
        w.writeByte(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            w.writeByte(tags.get(i).ordinal());
        }
        w.writeByte(t.appView() == null ? 0 : 1);
        if (t.appView() != null) {
            w.writeString(t.appView().client());
            w.writeString(t.appView().server());
        }
    }

    public void direction(DirectionStats s) {
        if (s == null) {
            w.writeByte(0);
            return;
        }
        direction(s.packets(), s.payloadBytes(), s.isn(), s.mss(), s.windowScale(), s.ttl(), s.state(), s.finFrame(),
                s.rstFrame(), s.analysis());
    }

    /** One direction's figures, as {@link DirectionStats} holds them. */
    public void direction(long packets, long payloadBytes, long isn, int mss, int windowScale, int ttl, String state,
                          long finFrame, long rstFrame, AnalysisCounts a) {
        boolean any = a != null && !a.isNone();
        w.writeByte(PRESENT | (a != null ? HAS_ANALYSIS : 0) | (any ? ANY_COUNT : 0));
        w.writeLong(packets);
        w.writeLong(payloadBytes);
        w.writeLong(isn);
        w.writeLong(mss);
        w.writeLong(windowScale);
        w.writeLong(ttl);
        w.writeString(state);
        w.writeLong(finFrame);
        w.writeLong(rstFrame);
        if (any) {
            w.writeLong(a.retransmissions());
            w.writeLong(a.fastRetransmissions());
            w.writeLong(a.spuriousRetransmissions());
            w.writeLong(a.outOfOrder());
            w.writeLong(a.lostSegments());
            w.writeLong(a.ackedUnseen());
            w.writeLong(a.duplicateAcks());
            w.writeLong(a.zeroWindows());
            w.writeLong(a.zeroWindowProbes());
            w.writeLong(a.windowFull());
            w.writeLong(a.keepAlives());
            w.writeLong(a.keepAliveAcks());
            w.writeLong(a.windowUpdates());
        }
    }

    /** The handshake RTT (-1: unknown), the longest idle gap ({@code null}: none) and the history letters. */
    public void timing(long handshakeRttMicros, IdleGap longestIdle, String history) {
        timing(handshakeRttMicros, longestIdle != null, longestIdle == null ? 0 : longestIdle.seconds(),
                longestIdle == null ? 0 : longestIdle.afterFrame(), longestIdle == null ? 0 : longestIdle.beforeFrame(),
                history);
    }

    /** As {@link #timing(long, IdleGap, String)}, the idle gap as its figures ({@code idle} false: none). */
    public void timing(long handshakeRttMicros, boolean idle, double idleSeconds, long afterFrame, long beforeFrame,
                       String history) {
        w.writeLong(handshakeRttMicros);
        w.writeByte(idle ? 1 : 0);
        if (idle) {
            w.writeDouble(idleSeconds);
            w.writeLong(afterFrame);
            w.writeLong(beforeFrame);
        }
        w.writeString(history);
    }

    public void app(AppContext a) {
        w.writeByte(a == null ? 0 : 1);
        if (a == null) {
            return;
        }
        w.writeString(a.protocol());
        message(a.lastRequest());
        message(a.lastResponse());
        w.writeByte(a.unanswered() == null ? AppRecord.UNKNOWN : a.unanswered() ? 1 : 0);
        message(a.goodbye());
        w.writeByte(a.tls() == null ? 0 : 1);
        if (a.tls() != null) {
            w.writeString(a.tls().sni());
            w.writeString(a.tls().alpn());
            message(a.tls().alert());
        }
        w.writeString(a.note());
    }

    private void message(AppContext.AppMessage m) {
        w.writeByte(m == null ? 0 : 1);
        if (m != null) {
            w.writeLong(m.frame());
            w.writeString(m.from());
            w.writeString(m.text());
        }
    }

    /** State transitions and last packets: empty unless the flow's details were kept. Ends the flow. */
    public void details(List<StateChange> transitions, List<PacketLine> lastPackets) {
        w.writeLong(transitions.size());
        for (StateChange s : transitions) {
            w.writeLong(s.frame());
            w.instant(s.time());
            w.writeString(s.side());
            w.writeString(s.from());
            w.writeString(s.to());
        }
        w.writeLong(lastPackets.size());
        for (PacketLine p : lastPackets) {
            w.writeLong(p.frame());
            w.instant(p.time());
            w.writeByte(p.fromClient() ? 1 : 0);
            w.writeString(p.flags());
            w.writeLong(p.seq());
            w.writeLong(p.ack());
            w.writeLong(p.len());
            w.writeLong(p.window());
            w.writeLong(p.ttl());
            w.strings(p.analysis());
        }
    }
}
