package dev.tcpautopsy.flow;

import dev.tcpautopsy.app.AppTracker;
import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayDeque;

/**
 * One TCP connection being tracked: its two {@link Side}s, the handshake, history letters, state
 * transitions, idle gaps and last packets. Side {@code a} is whoever sent the first segment seen;
 * {@code clientIsA} says which side is the client. Instances are pooled and reused, so everything is
 * preallocated and {@link #onSegment} only updates fields.
 */
final class Connection {
    static final int MAX_TRANSITIONS = 12;
    private static final int SYN = TcpSegment.SYN, ACK = TcpSegment.ACK, FIN = TcpSegment.FIN, RST = TcpSegment.RST;

    final Side a = new Side(), b = new Side();
    final PacketRing ring;
    final History history = new History();
    final Survival survival = new Survival();
    /**
     * What the applications say: {@code null} when the payload is not read, or until the connection first
     * carries payload, a FIN or a RST. A connection that never does (a SYN unanswered, of which a capture of
     * connection churn holds tens of thousands for minutes) then holds no tracker, and the trackers go back
     * to their pool ({@link #apps}) when the connection object is reused, not with it.
     */
    AppTracker app;
    private final boolean payload;
    /** The application trackers not in use, shared by the connections of one tracking thread. */
    private final ArrayDeque<AppTracker> apps;
    final Quiet quiet = new Quiet();
    /** The history letters already recorded (a copy kept here, so the history object stays cold). */
    int historySeen;
    /**
     * The stream number ({@code tcp.stream}); set by the merging thread when several threads track the
     * capture ({@link ShardedTracker}), which the tracking threads never read.
     */
    long stream;
    /**
     * What tracking knows the stream by: its number when one thread numbers the streams, else the ordinal
     * of the segment that opened it, in the same order as the numbers.
     */
    long key;
    /** The {@link Partition} tracking it. */
    int partition;
    /** Bumped on every reuse of this object, so stale references in queues can be recognised. */
    int generation;
    /** Its number in the flow table that holds it, -1 before it first goes in ({@link FlowTable}). */
    int tableNumber = -1;
    boolean clientIsA;
    boolean handshakeSeen, synAckSeen, handshakeComplete;
    boolean portReused;
    long firstFrame, lastFrame, startNanos, lastNanos;
    long mruSynNanos, firstRttNanos;

    // idle gaps (spec: nothing outstanding, neither window zero)
    boolean idleEligible;
    long longestIdle = -1, longestIdleAfter, longestIdleBefore;
    long lastLongIdle = -1, lastLongIdleAfter, lastLongIdleBefore;
    // data-idle gaps (spec: from the last new data either way, keep-alives do not end them)
    long lastDataFrame, lastDataNanos;
    /** The first FIN or RST since the last new data was seen (it ends the data-idle gap). */
    boolean dataIdleClosed;
    long lastLongDataIdle = -1, lastLongDataIdleAfter, lastLongDataIdleBefore;

    // state transitions
    final long[] trFrame = new long[MAX_TRANSITIONS], trNanos = new long[MAX_TRANSITIONS];
    final boolean[] trClient = new boolean[MAX_TRANSITIONS];
    /** Ordinals of {@link EndpointState}: numbers, not references, in a pooled object (see {@link Side#state()}). */
    final byte[] trFrom = new byte[MAX_TRANSITIONS], trTo = new byte[MAX_TRANSITIONS];
    int trCount;

    /** The capture end to judge it by, and whether that is earlier, set when it is handed to another thread. */
    long handEnd;
    boolean handEarly;

    /** RST seen, or both FINs acknowledged: handed on after the linger time. */
    boolean ended;
    boolean lingering;

    Connection(FlowSettings settings) {
        this(settings, new ArrayDeque<>());
    }

    /** @param apps the pool of application trackers of the connections of this thread */
    Connection(FlowSettings settings, ArrayDeque<AppTracker> apps) {
        ring = new PacketRing(settings.tailSize(), settings.headerRing(), settings.headerBytes());
        payload = settings.payload();
        this.apps = apps;
    }

    /** Whether the applications' messages are read (the facts then say what they said, if anything). */
    boolean readsPayload() {
        return payload;
    }

    /** Prepares this object for a new connection whose first segment is {@code s}. */
    void reset(long stream, TcpSegment s, boolean clientIsA) {
        generation++;
        this.stream = stream;
        this.key = stream;
        this.clientIsA = clientIsA;
        boolean v6 = s.ipVersion == 6;
        a.reset(s.srcHi, s.srcLo, s.srcPort, v6);
        b.reset(s.dstHi, s.dstLo, s.dstPort, v6);
        ring.clear();
        history.clear();
        survival.clear();
        quiet.clear();
        if (app != null) {
            apps.push(app);
            app = null;
        }
        historySeen = 0;
        handshakeSeen = synAckSeen = handshakeComplete = portReused = false;
        firstFrame = s.frame;
        startNanos = s.tsNanos;
        lastFrame = 0;
        lastNanos = 0;
        mruSynNanos = firstRttNanos = 0;
        idleEligible = false;
        longestIdle = lastLongIdle = -1;
        longestIdleAfter = longestIdleBefore = lastLongIdleAfter = lastLongIdleBefore = 0;
        lastDataFrame = lastDataNanos = 0;
        dataIdleClosed = false;
        lastLongDataIdle = -1;
        lastLongDataIdleAfter = lastLongDataIdleBefore = 0;
        trCount = 0;
        ended = lingering = false;
    }

    Side client() {
        return clientIsA ? a : b;
    }

    Side server() {
        return clientIsA ? b : a;
    }

    /**
     * Accounts one segment. {@code analyzable} is false when Wireshark would skip its sequence
     * analysis (the segment length is unknown).
     *
     * @return the segment's {@link AnalysisFlags} flags
     */
    int onSegment(TcpSegment s, boolean fromA, int preset, FlowSettings settings) {
        Side fwd = fromA ? a : b, rev = fromA ? b : a;
        boolean fromClient = fromA == clientIsA;
        long now = s.tsNanos;
        int flags = s.flags;
        if (lastFrame != 0) {
            idleGap(now, s.frame, settings.idleThresholdNanos(), fwd.unanswered > 0);
        } else {
            firstFrame = s.frame;
            startNanos = now;
        }
        int window = s.window;
        int ta = SeqAnalysis.analyze(fwd, rev, (int) s.seq, (int) s.ack, s.payloadLen, flags, window, now,
                firstRttNanos, preset);
        afterAnalysis(fwd, rev, s, flags, now);

        long relSeq = fwd.rel(s.seq);
        long relAck = (flags & ACK) != 0 ? rev.rel(s.ack) : 0;
        boolean newData = accountSender(fwd, rev, s, flags, relSeq, relAck, ta, now);
        if (payload) {
            application(s, fromClient, flags, relSeq);
        }
        dataIdle(s.frame, now, flags, newData, fromClient, settings.idleThresholdNanos());
        EndpointState before = fwd.state();
        EndpointState after = StateMachine.onSend(before, flags);
        if (after != before) {
            fwd.state(after);
            transition(s.frame, now, fromClient, before, after);
        }
        if ((flags & (ACK | RST)) == ACK && rev.isn >= 0 && relAck >= 1) {
            EndpointState rb = rev.state();
            EndpointState ra = StateMachine.onPeerAckedSyn(rb);
            if (ra != rb) {
                rev.state(ra);
                transition(s.frame, now, !fromClient, rb, ra);
            }
        }
        handshake(fromClient, flags, relAck);
        if ((flags & RST) != 0) {
            survival.onRst(s.frame, !handshakeComplete && !synAckSeen);
        } else if (survival.pending()) {
            long seqEnd = relSeq + s.payloadLen + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
            if (survival.onSegment(fromA, seqEnd > relSeq ? seqEnd : -1, (flags & ACK) != 0 ? relAck : -1)) {
                outlive(s.frame, now);
            }
        }
        int letters = History.letters(fromClient, flags, s.payloadLen, window, ta);
        if ((letters & ~historySeen) != 0) {
            historySeen = history.note(letters);
        }

        long win = fwd.scaledWindow(window, (flags & SYN) != 0);
        ring.add(s.frame, now, fromClient, flags, relSeq, relAck, s.payloadLen, win, s.ttl, s.ipId, ta);
        ring.keepHeader(s.frame, s.linkType, s.buf, s.hdrOff, s.hdrLen, special(fromA, flags), s.dataAt, s.frames);

        lastFrame = s.frame;
        lastNanos = now;
        idleEligible = !a.outstanding(b) && !b.outstanding(a) && a.lastRawWindow != 0 && b.lastRawWindow != 0;
        if (!ended) {
            ended = a.rstCount > 0 || b.rstCount > 0 || (finAcked(a, b) && finAcked(b, a));
        }
        return ta;
    }

    /**
     * Hands the segment's payload and close to the application tracker. A RST's payload is diagnostic
     * text (RFC 1122 4.2.2.12), not the application's; a SYN's data (TCP Fast Open) starts after it.
     */
    private void application(TcpSegment s, boolean fromClient, int flags, long relSeq) {
        boolean data = s.payloadLen > 0 && (flags & RST) == 0;
        boolean close = (flags & (FIN | RST)) != 0;
        if (!data && !close) {
            return;
        }
        AppTracker a = app;
        if (a == null) {
            // as a tracker reset when the connection opened would be: nothing reached it before
            a = apps.poll();
            if (a == null) {
                a = new AppTracker();
            } else {
                a.reset();
            }
            app = a;
        }
        if (data && a.reading()) {
            a.onPayload(fromClient, s.frame, relSeq + ((flags & SYN) != 0 ? 1 : 0), s.buf, s.payloadOff,
                    s.payloadCapLen, s.payloadLen);
        }
        if (close) {
            a.onClose(fromClient, s.frame, (flags & RST) != 0);
        }
    }

    /**
     * Both sides went on after the pending RST with segments the other acknowledged: the connection
     * outlived its RSTs. The endpoints forget them, a reset endpoint counts as established again, and
     * the connection has not ended unless both FINs were acknowledged.
     */
    private void outlive(long frame, long now) {
        boolean aFirst = a.rstFrame != 0 && (b.rstFrame == 0 || a.rstFrame < b.rstFrame);
        Side r = aFirst ? a : b;
        long since = survival.pendingFrame();
        survival.outlived(r.rstFrame, r.rstNanos, aFirst == clientIsA, r.rstTtl, a.rstCount + b.rstCount);
        if (survival.halfOpen) {
            // the server's ACK before the client's RST acknowledged a stale connection's bytes, not this one's
            Side sv = server();
            sv.highestAck = survival.ackSince(sv == a);
            sv.highestAckFrame = frame;
        }
        for (Side e : new Side[] {a, b}) {
            e.forgetRst();
            if (e.finFrame > since) {
                // a FIN sent between the RST and the recovery went the way of the RST (seen in evasion
                // tests: RST, FIN, then the real SYN-ACK and the transfer)
                e.forgetFin();
            }
            EndpointState st = e.state();
            if (st == EndpointState.RESET || st == EndpointState.CLOSED && e.finFrame == 0) {
                e.state(EndpointState.ESTABLISHED);
                transition(frame, now, (e == a) == clientIsA, st, EndpointState.ESTABLISHED);
            }
        }
        ring.forgetRstHeaders();
        quiet.reopen();
        ended = finAcked(a, b) && finAcked(b, a);
    }

    /**
     * The data-idle gap (spec): it runs from the last segment with new data, either way, to the next one
     * or to the first FIN or RST after it; keep-alives and bare ACKs do not end it. The latest one at or
     * above the threshold is kept.
     */
    private void dataIdle(long frame, long now, int flags, boolean newData, boolean fromClient, long threshold) {
        boolean close = (flags & (FIN | RST)) != 0;
        if (newData) {
            quiet.data(fromClient, lastDataFrame == 0 ? -1 : now - lastDataNanos);
        }
        if (close) {
            quiet.close(frame, fromClient, newData ? 0 : lastDataFrame == 0 ? -1 : now - lastDataNanos);
        }
        if (!newData && !(close && !dataIdleClosed)) {
            return;
        }
        if (lastDataFrame != 0 && now - lastDataNanos >= threshold) {
            lastLongDataIdle = now - lastDataNanos;
            lastLongDataIdleAfter = lastDataFrame;
            lastLongDataIdleBefore = frame;
        }
        if (newData) {
            lastDataFrame = frame;
            lastDataNanos = now;
            dataIdleClosed = close;
        } else {
            dataIdleClosed = true;
        }
    }

    /** What Wireshark does after the analysis: window scale option, first RTT, first-ACK marker. */
    private void afterAnalysis(Side fwd, Side rev, TcpSegment s, int flags, long now) {
        if (s.windowScale >= 0) {
            fwd.winScale = Math.min(s.windowScale, 14);
        }
        if ((flags & SYN) != 0) {
            if (fwd.winScale == -1) {
                fwd.winScale = -2;
                rev.winScale = -2;
            } else if ((flags & ACK) != 0 && rev.winScale == -2) {
                fwd.winScale = -2;
            }
            fwd.wsFirstAck = true;
            if ((flags & ACK) == 0) {
                mruSynNanos = now;
            }
        }
        if ((flags & (SYN | ACK)) == ACK) {
            if (mruSynNanos != 0 && firstRttNanos == 0) {
                firstRttNanos = now - mruSynNanos;
            }
            fwd.wsFirstAck = false;
        }
    }

    /** @return whether the segment carried new data (not a retransmission or a duplicate copy) */
    private boolean accountSender(Side fwd, Side rev, TcpSegment s, int flags, long relSeq, long relAck, int ta,
                                  long now) {
        int len = s.payloadLen;
        boolean rst = (flags & RST) != 0;
        if (fwd.packets == 0) {
            fwd.firstFrame = s.frame;
            fwd.firstNanos = now;
            fwd.relStart = relSeq + ((flags & SYN) != 0 ? 1 : 0);
            fwd.relHigh = relSeq;
            fwd.relDataEnd = fwd.relStart;
        }
        fwd.packets++;
        fwd.lastFrame = s.frame;
        fwd.lastNanos = now;
        if (ta != 0) {
            long[] counts = fwd.analysisCounts;
            if (counts == null) {
                counts = new long[AnalysisFlags.COUNT];
                fwd.analysisCounts = counts;
            }
            for (int i = 0; ta >>> i != 0; i++) {
                if ((ta & (1 << i)) != 0) {
                    counts[i]++;
                }
            }
        }
        fwd.noteTtl(s.ttl, rst);
        fwd.noteIpId(s.ipId);
        if (fwd.rstCount > 0 && !rst) {
            fwd.packetsAfterRst++;
            fwd.payloadAfterRst += len;
        }
        long end = relSeq + len + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        if (end > relSeq && !rst) {
            fwd.sentSeqSpace = true;
        }
        if (!rst && end > fwd.relHigh) {
            fwd.relHigh = end;
        }
        if (len > 0) {
            fwd.payloadBytes += len;
        }
        // A RST may carry diagnostic text (RFC 1122 4.2.2.12); that is no data the peer was
        // meant to read, so it neither counts as the sender's data nor marks the peer's as read.
        boolean newData = false;
        if (len > 0 && !rst) {
            fwd.dataSegments++;
            if (fwd.firstDataFrame == 0) {
                fwd.firstDataFrame = s.frame;
            }
            long dataEnd = relSeq + len;
            // a retransmission, or the second copy of a packet captured twice (a span port), is no new
            // data: the last data, and the evidence that names it, stay with the original
            if (dataEnd > fwd.relDataEnd || fwd.lastDataFrame == 0) {
                newData = true;
                fwd.lastDataFrame = s.frame;
                fwd.lastDataNanos = now;
                fwd.bytesAfterPeerData += dataEnd - Math.min(dataEnd, Math.max(fwd.relDataEnd, relSeq));
                fwd.relDataEnd = Math.max(fwd.relDataEnd, dataEnd);
                rev.bytesAfterPeerData = 0;
            }
        }
        if ((flags & ACK) != 0 && !rst && relAck > fwd.highestAck) {
            fwd.highestAck = relAck;
            fwd.highestAckFrame = s.frame;
        }
        if ((flags & SYN) != 0) {
            syn(fwd, s, now);
        }
        if ((flags & FIN) != 0 && fwd.finFrame == 0) {
            fwd.finFrame = s.frame;
            fwd.finNanos = now;
            fwd.finSeq = relSeq + len;
        }
        if (rst) {
            if (fwd.rstCount == 0) {
                fwd.rstFrame = s.frame;
                fwd.rstNanos = now;
                fwd.rstSeq = relSeq;
                fwd.rstHasAck = (flags & ACK) != 0;
                fwd.rstAck = fwd.rstHasAck ? relAck : -1;
            }
            fwd.rstCount++;
        } else {
            windows(fwd, rev, s, flags, now);
        }
        probes(fwd, rev, s, flags, ta, now);
        rev.peerAnswered();
        return newData;
    }

    private static void syn(Side fwd, TcpSegment s, long now) {
        fwd.synCount++;
        if (fwd.firstSynFrame == 0) {
            fwd.firstSynFrame = s.frame;
            fwd.firstSynNanos = now;
            fwd.isn = s.seq;
            fwd.mss = s.mss;
            fwd.optWindowScale = s.windowScale;
        }
        fwd.lastSynFrame = s.frame;
        fwd.lastSynNanos = now;
    }

    /** Advertised windows (a RST's window is no advertisement, spec). */
    private static void windows(Side fwd, Side rev, TcpSegment s, int flags, long now) {
        boolean syn = (flags & SYN) != 0;
        fwd.lastRawWindow = s.window;
        fwd.lastWindow = fwd.scaledWindow(s.window, syn);
        if (s.window == 0 && !syn) {
            if (fwd.zeroWindowFrame == 0) {
                fwd.zeroWindowFrame = s.frame;
                fwd.zeroWindowNanos = now;
            }
        } else {
            fwd.zeroWindowFrame = 0;
            fwd.zeroWindowNanos = -1;
        }
    }

    /** Retransmissions and probes that the peer has not answered yet; zero-window probes vs keep-alives. */
    private static void probes(Side fwd, Side rev, TcpSegment s, int flags, int ta, long now) {
        boolean probeShape = (ta & (AnalysisFlags.KEEP_ALIVE | AnalysisFlags.ZERO_WINDOW_PROBE)) != 0;
        if (probeShape) {
            if (rev.lastRawWindow == 0) {
                fwd.zeroWindowProbes++;
            } else {
                fwd.keepAlives++;
            }
        }
        if (probeShape || (ta & AnalysisFlags.ANY_RETRANSMISSION) != 0) {
            fwd.unansweredSend(now);
        }
    }

    private void handshake(boolean fromClient, int flags, long relAck) {
        if ((flags & (SYN | ACK)) == SYN && fromClient) {
            handshakeSeen = true;
        } else if ((flags & (SYN | ACK)) == (SYN | ACK) && !fromClient) {
            synAckSeen = true;
        } else if (fromClient && handshakeSeen && synAckSeen && !handshakeComplete
                && (flags & (SYN | ACK | RST)) == ACK && relAck >= 1) {
            handshakeComplete = true;
        }
    }

    private int special(boolean fromA, int flags) {
        int base = fromA ? 0 : 4;
        if ((flags & RST) != 0) {
            return base + PacketRing.RST;
        }
        if ((flags & SYN) != 0) {
            return base + ((flags & ACK) != 0 ? PacketRing.SYN_ACK : PacketRing.SYN);
        }
        if ((flags & FIN) != 0) {
            return base + PacketRing.FIN;
        }
        return -1;
    }

    private void idleGap(long now, long frame, long threshold, boolean senderWaiting) {
        long gap = now - lastNanos;
        if (!idleEligible || gap <= 0) {
            return;
        }
        if (!senderWaiting) {
            quiet.idle(gap, lastFrame, frame);
        }
        if (gap > longestIdle) {
            longestIdle = gap;
            longestIdleAfter = lastFrame;
            longestIdleBefore = frame;
        }
        if (gap >= threshold) {
            lastLongIdle = gap;
            lastLongIdleAfter = lastFrame;
            lastLongIdleBefore = frame;
        }
    }

    private void transition(long frame, long now, boolean client, EndpointState from, EndpointState to) {
        if (trCount < MAX_TRANSITIONS) {
            trFrame[trCount] = frame;
            trNanos[trCount] = now;
            trClient[trCount] = client;
            trFrom[trCount] = (byte) from.ordinal();
            trTo[trCount] = (byte) to.ordinal();
            trCount++;
        }
    }

    QuietFacts quiet() {
        return quiet.facts();
    }

    /**
     * Whether one side was left waiting for the other at the last segment: a handshake under way (no
     * data yet), sequence space (data, SYN, FIN) sent and not acknowledged, a retransmission or probe not
     * answered, or a zero window being probed. A stack that waits retransmits or probes again within its
     * longest timeout, so long silence on such a connection means its sender gave up. A connection idle
     * with nothing outstanding is not waiting: it may stay silent for hours and still be open. When only
     * one side was ever seen (and no handshake), nothing tells, and it is not waiting either.
     */
    boolean waiting() {
        if (!handshakeComplete && (handshakeSeen || synAckSeen) && a.dataSegments == 0 && b.dataSegments == 0) {
            return true;
        }
        if (a.packets == 0 || b.packets == 0) {
            return false;
        }
        return a.outstanding(b) || b.outstanding(a) || a.unanswered > 0 || b.unanswered > 0
                || a.lastRawWindow == 0 && b.zeroWindowProbes > 0 || b.lastRawWindow == 0 && a.zeroWindowProbes > 0;
    }

    /**
     * Whether the client reset in a handshake it may still complete: it sent SYNs and its RST, the server
     * answered with something other than a SYN-ACK (an ACK for a stale connection), and no data went
     * either way. RFC 793's half-open recovery retries the SYN (same ISN) after
     * the client's SYN timeout, which the connection should still be there for.
     */
    boolean mayRetrySyn() {
        Side c = client();
        return !synAckSeen && c.rstCount > 0 && c.synCount > 0 && c.dataSegments == 0 && server().dataSegments == 0;
    }

    /** Whether {@code x}'s FIN was acknowledged by {@code y}. */
    static boolean finAcked(Side x, Side y) {
        return x.finFrame != 0 && y.highestAck >= x.finSeq + 1;
    }
}
