package dev.tcpautopsy.classify;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.app.AppMessage;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.flow.AnalysisFlags;
import dev.tcpautopsy.flow.FlowFacts.Gap;
import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AnalysisCounts;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built facts for the truth table, written as a ladder diagram: one call a segment, in time order,
 * with sequence and acknowledgement numbers kept the obvious way (each side acks all it has seen unless
 * told otherwise). The facts are derived here with the contract's definitions, independent of flow
 * tracking, so a case states a scenario, not the tracker's output.
 */
final class Ladder {
    static final String CLIENT_IP = "198.18.0.2", SERVER_IP = "198.18.1.2";

    private final List<Seg> segs = new ArrayList<>();
    private long now;
    private long captureEnd = -1;
    private boolean handedEarly;
    private long idleThreshold = 30_000_000_000L;
    private boolean portReused;
    private AppFacts app;
    private final long[] nxt = {0, 0};
    private final int[] ttl = {64, 63};
    // overrides for the next segment
    private long nextAck = -1, nextSeq = -1, nextWin = -1;
    private int nextTtl = -1, nextAnalysis;

    /** One segment: side 0 client, 1 server; seq/ack relative (SYN = 0). */
    record Seg(long frame, long t, int side, int flags, long seq, long ack, int len, long win, int ttl, int analysis) {
        long end() {
            return seq + len + ((flags & (TcpSegment.SYN | TcpSegment.FIN)) != 0 ? 1 : 0);
        }

        boolean rst() {
            return (flags & TcpSegment.RST) != 0;
        }
    }

    /**
     * What the applications said: {@code protocol}, and the last segment added as its sender's goodbye
     * ({@code text}), a refusal when {@code rejected}.
     */
    Ladder goodbye(String protocol, String text, boolean rejected) {
        Seg last = segs.get(segs.size() - 1);
        AppMessage m = new AppMessage(last.frame, last.side == 0 ? "client" : "server", text);
        app = new AppFacts(protocol, null, m, false, m, rejected, false, null, -1);
        return this;
    }

    /**
     * What the applications said: the last segment added was its sender's goodbye {@code text}, and the
     * response to the peer's {@code request}, in the peer's last data segment before it.
     */
    Ladder goodbyeAnswering(String protocol, String request, String text) {
        Seg last = segs.get(segs.size() - 1);
        Seg asked = segs.stream().filter(x -> x.side != last.side && x.len > 0 && x.frame < last.frame)
                .reduce((a, b) -> b).orElseThrow();
        AppMessage m = new AppMessage(last.frame, last.side == 0 ? "client" : "server", text);
        app = new AppFacts(protocol, new AppMessage(asked.frame, asked.side == 0 ? "client" : "server", request), m, false,
                m, false, false, null, -1);
        return this;
    }

    /** What the applications said: the last segment added was {@code protocol}'s response {@code text}, no goodbye. */
    Ladder response(String protocol, String text) {
        Seg last = segs.get(segs.size() - 1);
        app = new AppFacts(protocol, null, new AppMessage(last.frame, last.side == 0 ? "client" : "server", text), false,
                null, false, false, null, -1);
        return this;
    }

    /** A flow whose capture starts mid-stream: both sides' next byte is relative 1, nothing before. */
    Ladder midstream() {
        nxt[0] = nxt[1] = 1;
        return this;
    }

    /** Default TTLs of the client's and server's packets as seen at the capture point. */
    Ladder ttls(int client, int server) {
        ttl[0] = client;
        ttl[1] = server;
        return this;
    }

    Ladder idle(double seconds) {
        idleThreshold = nanos(seconds);
        return this;
    }

    /** The flow was handed on before the capture ended, at {@code seconds}: silent at least until then. */
    Ladder handedEarlyAt(double seconds) {
        handedEarly = true;
        return captureEnd(seconds);
    }

    Ladder captureEnd(double seconds) {
        captureEnd = nanos(seconds);
        return this;
    }

    Ladder reused() {
        portReused = true;
        return this;
    }

    /** Moves the clock to {@code seconds} since the start. */
    Ladder at(double seconds) {
        now = nanos(seconds);
        return this;
    }

    Ladder ack(long a) {
        nextAck = a;
        return this;
    }

    Ladder seq(long s) {
        nextSeq = s;
        return this;
    }

    Ladder win(long w) {
        nextWin = w;
        return this;
    }

    Ladder ttl(int t) {
        nextTtl = t;
        return this;
    }

    /** The next segment is a retransmission of the side's last data (same seq and length). */
    Ladder retx() {
        nextAnalysis |= AnalysisFlags.RETRANSMISSION;
        return this;
    }

    Ladder c(String flags) {
        return seg(0, flags, 0);
    }

    Ladder c(String flags, int len) {
        return seg(0, flags, len);
    }

    Ladder s(String flags) {
        return seg(1, flags, 0);
    }

    Ladder s(String flags, int len) {
        return seg(1, flags, len);
    }

    /** A keep-alive-shaped probe (zero length at next seq - 1), as tshark flags it: keep_alive. */
    Ladder probe(int side) {
        nextSeq = nxt[side] - 1;
        nextAnalysis |= AnalysisFlags.KEEP_ALIVE;
        return seg(side, "A", 0);
    }

    private Ladder seg(int side, String flags, int len) {
        int f = 0;
        for (char ch : flags.toCharArray()) {
            f |= switch (ch) {
                case 'S' -> TcpSegment.SYN;
                case 'A' -> TcpSegment.ACK;
                case 'F' -> TcpSegment.FIN;
                case 'R' -> TcpSegment.RST;
                case 'P' -> TcpSegment.PSH;
                case 'U' -> TcpSegment.URG;
                default -> throw new IllegalArgumentException(flags);
            };
        }
        long seq = nextSeq;
        if (seq < 0 && (nextAnalysis & AnalysisFlags.RETRANSMISSION) != 0) {
            seq = lastDataSeq(side, len, f);
        }
        if (seq < 0) {
            seq = nxt[side];
        }
        long ack = (f & TcpSegment.ACK) == 0 ? 0 : nextAck >= 0 ? nextAck : nxt[1 - side];
        Seg s = new Seg(segs.size() + 1, now, side, f, seq, ack, len, nextWin >= 0 ? nextWin : 65535,
                nextTtl >= 0 ? nextTtl : ttl[side], nextAnalysis);
        segs.add(s);
        if ((f & TcpSegment.RST) == 0) {
            nxt[side] = Math.max(nxt[side], s.end());
        }
        nextAck = nextSeq = nextWin = -1;
        nextTtl = -1;
        nextAnalysis = 0;
        return this;
    }

    private long lastDataSeq(int side, int len, int flags) {
        for (int i = segs.size() - 1; i >= 0; i--) {
            Seg s = segs.get(i);
            if (s.side == side && (s.len == len && len > 0 || (flags & TcpSegment.SYN) != 0 && (s.flags & TcpSegment.SYN) != 0
                    || (flags & TcpSegment.FIN) != 0 && (s.flags & TcpSegment.FIN) != 0)) {
                return s.seq;
            }
        }
        return -1;
    }

    static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    FlowFacts build() {
        FlowSides sides = new FlowSides(segs);
        SideFacts c = sides.side(0, CLIENT_IP, 40000), s = sides.side(1, SERVER_IP, 8080);
        boolean handshakeSeen = segs.stream().anyMatch(x -> x.side == 0 && (x.flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN);
        long synT = -1, rtt = -1;
        boolean synAck = false, complete = false;
        for (Seg x : segs) {
            if (x.side == 0 && (x.flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN) {
                synT = x.t;
            } else if (x.side == 1 && (x.flags & (TcpSegment.SYN | TcpSegment.ACK)) == (TcpSegment.SYN | TcpSegment.ACK)) {
                synAck = true;
            } else if (x.side == 0 && synAck && !complete && (x.flags & (TcpSegment.SYN | TcpSegment.ACK | TcpSegment.RST)) == TcpSegment.ACK) {
                complete = true;
                rtt = x.t - synT;
            }
        }
        Gap[] gaps = sides.idleGaps(idleThreshold);
        List<TailPacket> tail = new ArrayList<>();
        for (Seg x : segs.subList(Math.max(0, segs.size() - 32), segs.size())) {
            tail.add(new TailPacket(x.frame, x.t, x.side == 0, x.flags, x.seq, x.ack, x.len, x.win, x.ttl,
                    x.rst() ? 0 : 1, x.analysis));
        }
        Seg first = segs.get(0), last = segs.get(segs.size() - 1);
        return new FlowFacts(0, c, s, handshakeSeen, complete, portReused, first.frame, last.frame, first.t, last.t,
                captureEnd >= 0 ? captureEnd : last.t, complete ? rtt : -1, gaps[0], gaps[1], tail, List.of(), "", handedEarly,
                dataIdleGap(), null).withApp(app);
    }

    /**
     * The latest data-idle gap at or above the threshold (spec): from the last segment with new data,
     * either way, to the next one or to the first FIN or RST after it; null when none.
     */
    private Gap dataIdleGap() {
        long[] dataEnd = {-1, -1};
        Seg lastData = null;
        boolean closed = false;
        Gap out = null;
        for (Seg x : segs) {
            boolean fresh = x.len > 0 && !x.rst() && x.seq + x.len > dataEnd[x.side];
            boolean close = (x.flags & (TcpSegment.FIN | TcpSegment.RST)) != 0;
            if (!fresh && !(close && !closed)) {
                continue;
            }
            if (lastData != null && x.t - lastData.t >= idleThreshold) {
                out = new Gap(x.t - lastData.t, lastData.frame, x.frame);
            }
            if (fresh) {
                dataEnd[x.side] = x.seq + x.len;
                lastData = x;
                closed = close;
            } else {
                closed = true;
            }
        }
        return out;
    }

    /** The per-side facts of a ladder, derived with the contract's definitions. */
    private record FlowSides(List<Seg> segs) {
        SideFacts side(int k, String ip, int port) {
            long packets = 0, payload = 0, dataSegs = 0, firstFrame = 0, firstT = -1, lastFrame = 0, lastT = -1;
            int synCount = 0, rstCount = 0, ttlMin = 256, ttlMax = -1, rstTtl = -1;
            long firstSyn = 0, lastSyn = 0, firstSynT = -1, lastSynT = -1, firstData = 0, lastData = 0, lastDataT = -1;
            long high = 0, dataEnd = 1, highestAck = -1, highestAckFrame = 0, afterPeerData = 0;
            long finFrame = 0, finT = -1, finSeq = -1, rstFrame = 0, rstT = -1, rstSeq = -1, rstAck = -1;
            boolean rstHasAck = false;
            long afterRst = 0, payloadAfterRst = 0, lastWindow = -1, zwFrame = 0, zwT = -1, zwProbes = 0, keepAlives = 0;
            int[] ttlCount = new int[256];
            long peerWindow = -1;
            int unanswered = 0;
            long lastUnansweredT = 0;
            List<Long> gaps = new ArrayList<>();
            for (Seg x : segs) {
                if (x.side != k) {
                    if (!x.rst()) {
                        peerWindow = x.win;
                    }
                    if (x.len > 0) {
                        afterPeerData = 0;
                    }
                    unanswered = 0;
                    gaps.clear();
                    continue;
                }
                packets++;
                if (firstFrame == 0) {
                    firstFrame = x.frame;
                    firstT = x.t;
                    dataEnd = x.seq + ((x.flags & TcpSegment.SYN) != 0 ? 1 : 0);
                }
                lastFrame = x.frame;
                lastT = x.t;
                if (rstCount > 0 && !x.rst()) {
                    afterRst++;
                    payloadAfterRst += x.len;
                }
                if (x.rst()) {
                    if (rstCount++ == 0) {
                        rstFrame = x.frame;
                        rstT = x.t;
                        rstSeq = x.seq;
                        rstHasAck = (x.flags & TcpSegment.ACK) != 0;
                        rstAck = rstHasAck ? x.ack : -1;
                        rstTtl = x.ttl;
                    }
                    continue;
                }
                ttlCount[x.ttl]++;
                ttlMin = Math.min(ttlMin, x.ttl);
                ttlMax = Math.max(ttlMax, x.ttl);
                high = Math.max(high, x.end());
                if (x.len > 0) {
                    payload += x.len;
                    dataSegs++;
                    firstData = firstData == 0 ? x.frame : firstData;
                    lastData = x.frame;
                    lastDataT = x.t;
                    if (x.seq + x.len > dataEnd) {
                        afterPeerData += x.seq + x.len - Math.max(dataEnd, x.seq);
                        dataEnd = x.seq + x.len;
                    }
                }
                if ((x.flags & TcpSegment.ACK) != 0 && x.ack > highestAck) {
                    highestAck = x.ack;
                    highestAckFrame = x.frame;
                }
                if ((x.flags & TcpSegment.SYN) != 0) {
                    synCount++;
                    firstSyn = firstSyn == 0 ? x.frame : firstSyn;
                    firstSynT = firstSynT < 0 ? x.t : firstSynT;
                    lastSyn = x.frame;
                    lastSynT = x.t;
                }
                if ((x.flags & TcpSegment.FIN) != 0 && finFrame == 0) {
                    finFrame = x.frame;
                    finT = x.t;
                    finSeq = x.seq + x.len;
                }
                lastWindow = x.win;
                if (x.win == 0 && (x.flags & TcpSegment.SYN) == 0) {
                    if (zwFrame == 0) {
                        zwFrame = x.frame;
                        zwT = x.t;
                    }
                } else {
                    zwFrame = 0;
                    zwT = -1;
                }
                boolean probe = (x.analysis & (AnalysisFlags.KEEP_ALIVE | AnalysisFlags.ZERO_WINDOW_PROBE)) != 0;
                if (probe) {
                    if (peerWindow == 0) {
                        zwProbes++;
                    } else {
                        keepAlives++;
                    }
                }
                if (probe || (x.analysis & AnalysisFlags.ANY_RETRANSMISSION) != 0) {
                    if (unanswered++ > 0) {
                        gaps.add(x.t - lastUnansweredT);
                    }
                    lastUnansweredT = x.t;
                }
            }
            long peerAck = peerHighestAck(k);
            long unacked = packets == 0 ? 0 : Math.max(0, dataEnd - Math.max(peerAck, 1));
            int mode = -1;
            for (int t = 0; t < 256; t++) {
                if (ttlCount[t] > 0 && (mode < 0 || ttlCount[t] > ttlCount[mode])) {
                    mode = t;
                }
            }
            return new SideFacts(ip, k == 0 ? 40000 : 8080, firstFrame, firstT, packets, payload, dataSegs, mode,
                    ttlMax < 0 ? -1 : ttlMin, ttlMax, firstSyn > 0 ? 1000 : -1, -1, -1, synCount, firstSyn, lastSyn,
                    firstSynT, lastSynT, firstData, lastData, lastDataT, packets == 0 ? -1 : high, highestAck,
                    highestAckFrame, unacked, afterPeerData, finFrame, finT, finSeq, finFrame > 0 && peerAck >= finSeq + 1,
                    rstFrame, rstT, rstSeq, rstHasAck, rstAck, rstTtl, rstCount, afterRst, payloadAfterRst, lastFrame,
                    lastT, lastWindow, zwFrame, zwT, zwProbes, keepAlives, unanswered,
                    gaps.stream().mapToLong(Long::longValue).toArray(), "none", "ESTABLISHED", AnalysisCounts.NONE);
        }

        private long peerHighestAck(int k) {
            long a = -1;
            for (Seg x : segs) {
                if (x.side != k && !x.rst() && (x.flags & TcpSegment.ACK) != 0) {
                    a = Math.max(a, x.ack);
                }
            }
            return a;
        }

        /**
         * The longest and the last long idle gap: time between two segments while nothing was outstanding
         * and neither side's last advertised window was zero.
         */
        Gap[] idleGaps(long threshold) {
            Gap longest = null, lastLong = null;
            long[] high = {0, 0}, acked = {-1, -1}, win = {1, 1};
            boolean[] sent = {false, false};
            for (int i = 0; i < segs.size(); i++) {
                Seg x = segs.get(i);
                if (i > 0) {
                    Seg prev = segs.get(i - 1);
                    boolean outstanding = sent[0] && high[0] > Math.max(1, acked[1]) || sent[1] && high[1] > Math.max(1, acked[0]);
                    long gap = x.t - prev.t;
                    if (!outstanding && win[0] != 0 && win[1] != 0 && gap > 0) {
                        Gap g = new Gap(gap, prev.frame, x.frame);
                        if (longest == null || gap > longest.nanos()) {
                            longest = g;
                        }
                        if (gap >= threshold) {
                            lastLong = g;
                        }
                    }
                }
                if (!x.rst()) {
                    if (x.end() > x.seq) {
                        sent[x.side] = true;
                    }
                    high[x.side] = Math.max(high[x.side], x.end());
                    win[x.side] = x.win;
                    if ((x.flags & TcpSegment.ACK) != 0) {
                        acked[x.side] = Math.max(acked[x.side], x.ack);
                    }
                }
            }
            return new Gap[] {longest, lastLong};
        }
    }
}
