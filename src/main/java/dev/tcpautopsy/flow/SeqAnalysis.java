package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.TcpSegment;

/**
 * Wireshark's per-segment sequence analysis ({@code tcp_analyze_sequence_number} in
 * {@code epan/dissectors/packet-tcp.c}, as of the 4.0 series), reimplemented from its documented
 * rules so that our {@code tcp.analysis.*} flags equal the ones Wireshark shows.
 *
 * <p>The rules are checked in Wireshark's order, and some end the checks early (a zero-window probe,
 * keep-alive ACK or zero-window-probe ACK is nothing else). Sequence numbers are compared modulo
 * 2^32, and Wireshark's "0 means unset" convention is kept on purpose: it decides some edge cases.
 */
final class SeqAnalysis {
    private static final int FIN = TcpSegment.FIN, SYN = TcpSegment.SYN, RST = TcpSegment.RST, ACK = TcpSegment.ACK;
    private static final long FAST_RETRANSMISSION_NANOS = 20_000_000L;
    private static final long DEFAULT_OUT_OF_ORDER_NANOS = 3_000_000L;
    /** Wireshark's TCP_MAX_UNACKED_SEGMENTS: past it, SYN/FIN no longer advance its next-seq. */
    private static final int MAX_UNACKED = 10_000;

    private SeqAnalysis() {
    }

    /**
     * Analyzes one segment from {@code fwd} to {@code rev} and updates both sides' analysis state.
     *
     * @param firstRttNanos the connection's first RTT (SYN to first pure ACK), 0 when not known yet
     * @param preset        flags already set on this frame (reused ports)
     * @return the {@link AnalysisFlags} flags of the segment
     */
    static int analyze(Side fwd, Side rev, int seq, int ack, int seglen, int flags, int window, long now,
                       long firstRttNanos, int preset) {
        int ta = preset;
        if (!fwd.baseSet) {
            fwd.baseSeq = (flags & SYN) != 0 ? seq : seq - 1;
            fwd.baseSet = true;
        }
        // the ISN of the other side is only known from an ACK (ack - 1), not from a SYN's ack field
        if (!rev.baseSet && (flags & ACK) != 0) {
            rev.baseSeq = ack - 1;
            rev.baseSet = true;
        }
        int nextSeq = fwd.wsNextSeq;
        boolean finishedFwd = false;

        if (seglen == 1 && seq == nextSeq && rev.wsWindow == 0) {
            ta |= AnalysisFlags.ZERO_WINDOW_PROBE;
            finishedFwd = true;
        }
        if (!finishedFwd) {
            if (window == 0 && (flags & (RST | FIN | SYN)) == 0) {
                ta |= AnalysisFlags.ZERO_WINDOW;
            }
            if (nextSeq != 0 && gt(seq, nextSeq) && (flags & RST) == 0) {
                ta |= AnalysisFlags.LOST_SEGMENT;
            }
            boolean plain = (flags & (SYN | FIN | RST)) == 0;
            if ((seglen == 0 || seglen == 1) && seq == nextSeq - 1 && plain) {
                ta |= AnalysisFlags.KEEP_ALIVE;
            }
            boolean sameSeqAck = seglen == 0 && seq == nextSeq && ack == fwd.wsLastAck && plain;
            if (sameSeqAck && window != 0 && window != fwd.wsWindow) {
                ta |= AnalysisFlags.WINDOW_UPDATE;
            }
            if (seglen > 0 && rev.winScale != -1 && plain) {
                int shift = rev.wsFirstAck || rev.winScale == -2 ? 0 : rev.winScale;
                if (seq + seglen == rev.wsLastAck + (rev.wsWindow << shift)) {
                    ta |= AnalysisFlags.WINDOW_FULL;
                }
            }
            if (sameSeqAck && window != 0 && window == fwd.wsWindow && (rev.wsLastFlags & AnalysisFlags.KEEP_ALIVE) != 0) {
                ta |= AnalysisFlags.KEEP_ALIVE_ACK;
                finishedFwd = true;
            } else if (sameSeqAck && window == 0 && window == fwd.wsWindow
                    && (rev.wsLastFlags & AnalysisFlags.ZERO_WINDOW_PROBE) != 0) {
                ta |= AnalysisFlags.ZERO_WINDOW_PROBE_ACK;
                finishedFwd = true;
            } else if (sameSeqAck && window != 0 && window == fwd.wsWindow) {
                fwd.wsDupAckNum = fwd.wsDupAckNum == -1 ? 1 : fwd.wsDupAckNum + 1;
                ta |= AnalysisFlags.DUPLICATE_ACK;
            }
        }
        // finished_fwd: a new ack value restarts the duplicate count
        if (ack != fwd.wsLastAck) {
            fwd.wsDupAckNum = 0;
        }
        if (rev.wsMaxSeqToBeAcked != 0 && gt(ack, rev.wsMaxSeqToBeAcked) && (flags & ACK) != 0) {
            if (lt(rev.wsMaxSeqToBeAcked, rev.wsNextSeq)) {
                rev.wsMaxSeqToBeAcked = rev.wsNextSeq;
                ta |= AnalysisFlags.ACKED_UNSEEN;
            } else {
                // the other side is stalled with pure ACKs: flag the unseen segment once, and mark the
                // duplicate-ACK counter (an unsigned -1 there also counts as ">= 2" for fast retransmission)
                if (rev.wsDupAckNum == 0) {
                    ta |= AnalysisFlags.ACKED_UNSEEN;
                }
                rev.wsDupAckNum = -1;
            }
        }
        if ((seglen > 0 || (flags & (SYN | FIN)) != 0) && (ta & AnalysisFlags.KEEP_ALIVE) == 0) {
            ta = retransmissionKind(fwd, rev, seq, seglen, flags, now, firstRttNanos, ta);
        }
        int end = seq + seglen;
        if ((seglen > 0 || (flags & (SYN | FIN)) != 0) && fwd.wsUnacked < MAX_UNACKED) {
            fwd.wsUnacked++;
            if ((flags & (SYN | FIN)) != 0) {
                end++;
            }
        }
        boolean zwp = (ta & AnalysisFlags.ZERO_WINDOW_PROBE) != 0;
        if ((gt(end, fwd.wsNextSeq) || fwd.wsNextSeq == 0) && !zwp) {
            fwd.wsNextSeq = end;
            fwd.wsNextSeqNanos = now;
        }
        if ((seq == fwd.wsMaxSeqToBeAcked || fwd.wsMaxSeqToBeAcked == 0) && !zwp) {
            fwd.wsMaxSeqToBeAcked = fwd.wsNextSeq;
        }
        fwd.wsWindow = window;
        fwd.wsLastAck = ack;
        fwd.wsLastAckNanos = now;
        fwd.wsLastFlags = ta;
        // segments this ack covers leave the other side's unacked list
        if ((flags & ACK) != 0 && rev.wsUnacked > 0 && !gt(rev.wsNextSeq, ack)) {
            rev.wsUnacked = 0;
        }
        return ta;
    }

    /** Spurious, fast, out-of-order or plain retransmission: the first that fits, in Wireshark's order. */
    private static int retransmissionKind(Side fwd, Side rev, int seq, int seglen, int flags, long now,
                                          long firstRttNanos, int ta) {
        int nextSeq = fwd.wsNextSeq;
        boolean notAdvanced = nextSeq != 0 && lt(seq, nextSeq);
        // more than one byte starting one below next-seq adds new data (after a zero-window probe)
        if (seglen > 1 && nextSeq - 1 == seq) {
            notAdvanced = false;
        }
        if (seglen > 0 && rev.wsLastAck != 0 && le(seq + seglen, rev.wsLastAck)) {
            return ta | AnalysisFlags.SPURIOUS_RETRANSMISSION;
        }
        // Wireshark's time differences and duplicate-ACK count are unsigned: a negative one is huge
        long sinceDupAck = now - rev.wsLastAckNanos;
        if (notAdvanced && Integer.compareUnsigned(rev.wsDupAckNum, 2) >= 0 && rev.wsLastAck == seq
                && Long.compareUnsigned(sinceDupAck, FAST_RETRANSMISSION_NANOS) < 0) {
            return ta | AnalysisFlags.FAST_RETRANSMISSION;
        }
        long sinceNext = now - fwd.wsNextSeqNanos;
        long threshold = firstRttNanos == 0 ? DEFAULT_OUT_OF_ORDER_NANOS : firstRttNanos;
        int end = seq + seglen + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        if (notAdvanced && Long.compareUnsigned(sinceNext, threshold) < 0 && nextSeq != end) {
            return ta | AnalysisFlags.OUT_OF_ORDER;
        }
        return notAdvanced ? ta | AnalysisFlags.RETRANSMISSION : ta;
    }

    static boolean gt(int a, int b) {
        return b - a < 0;
    }

    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean le(int a, int b) {
        return a - b <= 0;
    }
}
