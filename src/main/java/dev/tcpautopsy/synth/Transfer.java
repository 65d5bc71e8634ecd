package dev.tcpautopsy.synth;

import static dev.tcpautopsy.synth.Conn.ACK;
import static dev.tcpautopsy.synth.Conn.DELACK;
import static dev.tcpautopsy.synth.Conn.MS;
import static dev.tcpautopsy.synth.Conn.PSH;

/**
 * Moves bytes one way the way Linux does: slow-start rounds from the congestion window, an ACK
 * for every second full segment and a delayed ACK for a lone one, and at most one loss and one
 * reordering per transfer, recovered by fast retransmit after three duplicate ACKs (with SACK) or,
 * for a tail loss, by a probe timeout.
 */
final class Transfer {
    private static final int MAX_CWND = 256;

    private Transfer() {
    }

    /** Fills c.at[0..n) with the send times of n segments in slow-start rounds; returns the grown window. */
    private static int rounds(Conn c, long t, int n, int cwnd) {
        c.ensureScratch(n);
        long start = t;
        int i = 0;
        while (i < n) {
            int k = Math.min(cwnd, n - i);
            for (int j = 0; j < k; j++) {
                c.at[i + j] = start + j * c.ser;
            }
            long lastSent = c.at[i + k - 1];
            i += k;
            start = Math.max(start + c.rtt, lastSent + c.ser);
            cwnd = Math.min(cwnd * 2, MAX_CWND);
        }
        return cwnd;
    }

    /** Index of the segment lost in this transfer, or -1; at most one. */
    private static int pickLoss(Conn c, int n, double p) {
        if (p <= 0 || !c.rng.chance(1 - Math.pow(1 - p, n))) {
            return -1;
        }
        c.lost++;
        return c.rng.nextInt(n);
    }

    /** Linux's tail loss probe timeout after the last segment sent. */
    private static long probeTimeout(Conn c, int outstanding) {
        long pto = 2 * c.rtt;
        if (outstanding == 1) {
            pto = Math.max(pto, c.rtt * 3 / 2 + 200 * MS);
        }
        return Math.max(pto, 10 * MS);
    }

    /**
     * The client sends {@code bytes}; the server ACKs. A lost segment is seen in the capture (it is
     * lost after the capture point) and again when retransmitted.
     *
     * @param delayedAck whether a lone last segment gets the server's delayed ACK (false when the
     *                   server's answer follows within the delayed-ACK timer and carries the ACK)
     * @return when the last needed segment left the client (the retransmission, after a loss)
     */
    static long clientSends(Conn c, long t, int bytes, double loss, boolean delayedAck) {
        int mss = c.mss;
        int n = (bytes + mss - 1) / mss;
        c.cCwnd = rounds(c, t, n, c.cCwnd);
        long[] at = c.at;
        long base = c.cNxt;
        long ack = c.sNxt;
        int lostIdx = pickLoss(c, n, loss);
        for (int i = 0; i < n; i++) {
            int len = Math.min(mss, bytes - i * mss);
            c.addC(at[i], ACK | (i == n - 1 ? PSH : 0), base + (long) i * mss, ack, len);
        }
        long end = base + bytes;
        int pending = 0;
        long all = at[n - 1];
        int upTo = lostIdx < 0 ? n : lostIdx;
        for (int i = 0; i < upTo; i++) {
            if (++pending == 2) {
                c.addS(at[i] + c.rtt, ACK, ack, Math.min(end, base + (long) (i + 1) * mss), 0);
                pending = 0;
            }
        }
        if (lostIdx >= 0) {
            long holeStart = base + (long) lostIdx * mss;
            int dups = n - 1 - lostIdx;
            if (pending == 1 && dups == 0) {
                c.addS(at[lostIdx - 1] + c.rtt + DELACK, ACK, ack, holeStart, 0);
            }
            for (int i = lostIdx + 1; i < n; i++) {
                c.q.addSack(at[i] + c.rtt, ACK | PacketQueue.S2C, ack, holeStart, c.sWin,
                        holeStart + mss, Math.min(end, base + (long) (i + 1) * mss));
            }
            long rtx = dups >= 3 ? at[lostIdx + 3] + c.rtt + c.delta() : at[n - 1] + probeTimeout(c, n);
            int len = Math.min(mss, bytes - lostIdx * mss);
            c.addC(rtx, ACK | (lostIdx == n - 1 ? PSH : 0) | PacketQueue.RETRANS, holeStart, ack, len);
            // the retransmission fills the hole: the server ACKs everything at once
            c.addS(rtx + c.rtt, ACK, ack, end, 0);
            all = rtx;
            pending = 0;
        }
        if (pending == 1 && delayedAck) {
            c.addS(all + c.rtt + DELACK, ACK, ack, end, 0);
        }
        c.cNxt = end;
        return all;
    }

    /**
     * The server sends {@code bytes}, arriving at the client from {@code t}; the client ACKs. A lost
     * segment never reaches the capture point: the client sees the gap, sends duplicate ACKs with a
     * SACK block, and the retransmission fills it.
     *
     * @param tailAck whether a lone last segment gets the client's delayed ACK (false when the
     *                client's next packet follows at once and carries the ACK)
     * @return capture time of the last packet of the transfer
     */
    static long serverSends(Conn c, long t, int bytes, double loss, double reorder, boolean tailAck) {
        int mss = c.mss;
        int n = (bytes + mss - 1) / mss;
        c.sCwnd = rounds(c, t, n, c.sCwnd);
        long[] at = c.at;
        int lostIdx = pickLoss(c, n, loss);
        int swap = -1;
        if (n >= 3 && c.rng.chance(1 - Math.pow(1 - reorder, n - 1))) {
            swap = c.rng.nextInt(n - 1);
            if (swap == lostIdx || swap + 1 == lostIdx) {
                swap = -1;
            } else {
                long x = at[swap];
                at[swap] = at[swap + 1];
                at[swap + 1] = x;
                c.reordered++;
            }
        }
        if (lostIdx >= 0) {
            int dups = n - 1 - lostIdx;
            at[lostIdx] = dups >= 3
                    ? Math.max(at[lostIdx + 3], at[lostIdx + 2]) + c.rtt + c.delta()
                    : at[n - 1] + probeTimeout(c, n - lostIdx);
        }
        int[] order = c.order;
        for (int i = 0; i < n; i++) {
            int k = i;
            while (k > 0 && at[order[k - 1]] > at[i]) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
            c.got[i] = false;
        }
        long base = c.sNxt;
        long ack = c.cNxt;
        long end = base + bytes;
        int cum = 0;
        int ooo = 0;
        int pending = 0;
        long last = t;
        for (int o = 0; o < n; o++) {
            int k = order[o];
            long a = at[k];
            int len = Math.min(mss, bytes - k * mss);
            c.addS(a, ACK | (k == n - 1 ? PSH : 0) | (k == lostIdx ? PacketQueue.RETRANS : 0),
                    base + (long) k * mss, ack, len);
            c.got[k] = true;
            long when = a + c.ackDelay;
            if (k == cum) {
                while (cum < n && c.got[cum]) {
                    cum++;
                }
                long acked = Math.min(end, base + (long) cum * mss);
                if (ooo > 0) {
                    ooo = 0;
                    pending = 0;
                    c.addC(when, ACK, ack, acked, 0);
                    last = Math.max(last, when);
                } else if (++pending == 2) {
                    pending = 0;
                    c.addC(when, ACK, ack, acked, 0);
                    last = Math.max(last, when);
                }
            } else {
                ooo++;
                pending = 0;
                int j = cum + 1;
                while (!c.got[j]) {
                    j++;
                }
                int m = j;
                while (m + 1 < n && c.got[m + 1]) {
                    m++;
                }
                c.q.addSack(when, ACK, ack, base + (long) cum * mss, c.cWin, base + (long) j * mss,
                        Math.min(end, base + (long) (m + 1) * mss));
                last = Math.max(last, when);
            }
            last = Math.max(last, a);
        }
        if (pending == 1 && tailAck) {
            long when = last + DELACK;
            c.addC(when, ACK, ack, end, 0);
            last = when;
        }
        c.sNxt = end;
        return last;
    }
}
