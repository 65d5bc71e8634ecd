package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.TcpFlags;
import dev.tcpautopsy.model.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * What one side sent after the peer last answered (any segment but a RST is an answer, a zero-window
 * ACK included): the tries nobody answered. Read from the tail; when the run began before the tail,
 * from the flow's own count of unanswered sends.
 *
 * @param sender      the side that went unanswered (true: client)
 * @param answeredAt  frame of the peer's last non-RST segment (0: none, or not in the tail)
 * @param sent        the sender's non-RST segments after it, oldest first (tail only)
 * @param tries       of those, the repeats: retransmissions, keep-alive and zero-window probes, SYN repeats
 * @param evidence    tries sent at least 500 ms after the last answered send (Linux rate-limits its
 *                    answers to repeated segments to one per 500 ms: an earlier try proves nothing)
 * @param gaps        gaps between the original send and its repeats, oldest first (the backoff shape)
 * @param keepAlives  keep-alive probes among the tries
 * @param zwProbes    zero-window probes among the tries
 * @param giveUp      the sender's own RST after the tries (it gave up), or {@code null}
 */
record Run(boolean sender, long answeredAt, List<TailPacket> sent, List<TailPacket> tries, int evidence,
           long[] gaps, int keepAlives, int zwProbes, TailPacket giveUp) {

    /** The run of {@code sender} after the peer's last answer. */
    static Run of(FlowView v, boolean sender) {
        TailPacket[] tail = v.tail();
        int boundary = -1;
        for (int i = tail.length - 1; i >= 0; i--) {
            TailPacket p = tail[i];
            if (p.fromClient() != sender && !FlowView.isRst(p)) {
                boundary = i;
                break;
            }
        }
        SideFacts peer = v.side(!sender);
        boolean peerNeverSpoke = peer.packets() - peer.rstCount() <= 0;
        if (boundary < 0 && !peerNeverSpoke && tail.length > 0) {
            return fromCounts(v, sender);
        }
        long answeredNanos = boundary >= 0 ? tail[boundary].tsNanos() : Long.MIN_VALUE;
        for (int i = boundary; i >= 0; i--) {
            if (tail[i].fromClient() == sender) {
                answeredNanos = tail[i].tsNanos();
                break;
            }
        }
        List<TailPacket> sent = new ArrayList<>();
        List<TailPacket> tries = new ArrayList<>();
        TailPacket giveUp = null;
        long firstSyn = v.side(sender).firstSynFrame();
        for (int i = boundary + 1; i < tail.length; i++) {
            TailPacket p = tail[i];
            if (p.fromClient() != sender) {
                continue;
            }
            if (FlowView.isRst(p)) {
                giveUp = giveUp == null ? p : giveUp;
                continue;
            }
            sent.add(p);
            boolean synRepeat = FlowView.has(p, TcpFlags.SYN) && p.frame() != firstSyn;
            if ((FlowView.isRetransmission(p) || FlowView.isProbe(p) || synRepeat) && !duplicate(tries, p)) {
                tries.add(p);
            }
        }
        int evidence = 0, keepAlives = 0, zw = 0;
        for (int i = 0; i < tries.size(); i++) {
            TailPacket p = tries.get(i);
            if (answeredNanos == Long.MIN_VALUE || p.tsNanos() - answeredNanos >= FlowView.ANSWER_RATE_LIMIT) {
                evidence++;
            }
            if (FlowView.isProbe(p)) {
                if (v.isZeroWindowProbe(p)) {
                    zw++;
                } else {
                    keepAlives++;
                }
            }
        }
        if (giveUp != null && !tries.isEmpty() && giveUp.frame() < tries.get(tries.size() - 1).frame()) {
            giveUp = null;
        }
        return new Run(sender, boundary >= 0 ? tail[boundary].frame() : 0, sent, tries, evidence,
                gaps(sent, tries), keepAlives, zw, giveUp);
    }

    /**
     * The same segment seen twice within 5 ms (a capture on two interfaces, a span port's copy) is one
     * send: no stack retransmits that fast (Linux's minimum RTO is 200 ms).
     */
    private static boolean duplicate(List<TailPacket> tries, TailPacket p) {
        if (tries.isEmpty()) {
            return false;
        }
        TailPacket q = tries.get(tries.size() - 1);
        return q.seq() == p.seq() && q.len() == p.len() && q.flags() == p.flags() && p.tsNanos() - q.tsNanos() < DUPLICATE;
    }

    static final long DUPLICATE = 5_000_000L;
    /** Shared by the runs without tries: a run is read, never changed. */
    private static final long[] NO_GAPS = {};

    /** The run began before the tail: trust the flow's count, every try spaced beyond the rate limit. */
    private static Run fromCounts(FlowView v, boolean sender) {
        SideFacts s = v.side(sender);
        List<TailPacket> sent = new ArrayList<>();
        List<TailPacket> tries = new ArrayList<>();
        TailPacket giveUp = null;
        int keepAlives = 0, zw = 0;
        for (TailPacket p : v.tail()) {
            if (p.fromClient() != sender) {
                continue;
            }
            if (FlowView.isRst(p)) {
                giveUp = giveUp == null ? p : giveUp;
                continue;
            }
            sent.add(p);
            if (FlowView.isRetransmission(p) || FlowView.isProbe(p)) {
                tries.add(p);
                if (FlowView.isProbe(p)) {
                    if (v.isZeroWindowProbe(p)) {
                        zw++;
                    } else {
                        keepAlives++;
                    }
                }
            }
        }
        long[] gaps = s.unansweredGapsNanos() == null ? new long[0] : s.unansweredGapsNanos().clone();
        return new Run(sender, 0, sent, tries, s.unansweredTail(), gaps, keepAlives, zw, giveUp);
    }

    /** Gaps from the original send (the last non-repeat before the first try) through every try. */
    private static long[] gaps(List<TailPacket> sent, List<TailPacket> tries) {
        if (tries.isEmpty()) {
            return NO_GAPS;
        }
        TailPacket first = tries.get(0);
        TailPacket original = null;
        for (int i = 0; i < sent.size(); i++) {
            TailPacket p = sent.get(i);
            if (p.frame() >= first.frame()) {
                break;
            }
            // the first transmission of what the first try repeats
            if (p.seq() == first.seq() && (p.len() > 0 || FlowView.has(p, TcpFlags.SYN) || FlowView.has(p, TcpFlags.FIN))) {
                original = p;
                break;
            }
        }
        int from = original != null ? 0 : 1;
        long[] out = new long[tries.size() - from];
        long before = original != null ? original.tsNanos() : first.tsNanos();
        for (int i = from; i < tries.size(); i++) {
            long t = tries.get(i).tsNanos();
            out[i - from] = t - before;
            before = t;
        }
        return out;
    }

    int count() {
        return Math.max(tries.size(), evidence);
    }

    /** Exponential backoff: at least two gaps, none shrinking by much, the last at least 1.8 times the first. */
    boolean backoff() {
        if (gaps.length < 2 || gaps[0] <= 0) {
            return false;
        }
        for (int i = 1; i < gaps.length; i++) {
            if (gaps[i] * 4 < gaps[i - 1] * 3) {
                return false;
            }
        }
        return gaps[gaps.length - 1] * 10 >= gaps[0] * 18;
    }

    /** The gaps in seconds, for a reason: "0.21, 0.42, 0.84 s". */
    String gapList() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < gaps.length; i++) {
            b.append(i == 0 ? "" : ", ").append(Units.secsBare(gaps[i]));
        }
        return b.append(" s").toString();
    }
}
