package dev.tcpautopsy.synth;

import static dev.tcpautopsy.synth.Conn.ACK;
import static dev.tcpautopsy.synth.Conn.DELACK;
import static dev.tcpautopsy.synth.Conn.FIN;
import static dev.tcpautopsy.synth.Conn.MS;
import static dev.tcpautopsy.synth.Conn.PSH;
import static dev.tcpautopsy.synth.Conn.RST;
import static dev.tcpautopsy.synth.Conn.SEC;
import static dev.tcpautopsy.synth.Conn.US;

/**
 * The endings, each shaped as Linux 6.x makes it (the contract's "Linux behaviour" section):
 * an active reset (close with unread data, SO_LINGER 0) is RST|ACK at snd_nxt with the usual
 * window and options; a reset for a segment that finds no socket is a bare RST, seq = the
 * segment's ack, window 0, no options, IP ID 0; data retransmissions back off from the RTO and
 * end in silence; zero-window probes are empty segments at snd_una - 1.
 */
final class Endings {
    private static final int BARE_RST = RST | PacketQueue.OPT_NONE | PacketQueue.IPID_ZERO;
    private final Script script;

    Endings(Script script) {
        this.script = script;
    }

    /** Plans the ending, starting after the last packet at {@code t0}. */
    void end(Conn c, long t0) {
        switch (c.ending) {
            case FIN_CLIENT -> finClient(c, t0 + closeDelay(c));
            case FIN_SERVER -> finServer(c, t0 + closeDelay(c));
            case IDLE_FIN_CLIENT -> finClient(c, t0 + idleGap(c));
            case IDLE_FIN_SERVER -> finServer(c, t0 + idleGap(c));
            case RST_ABORT_SERVER -> c.addS(t0 + closeDelay(c), RST | ACK, c.sNxt, c.cNxt, 0);
            case RST_ABORT_CLIENT -> {
                // a last message the server only ACKs, so nothing is left unread when the client aborts
                long all = Transfer.clientSends(c, t0 + script.think(c), c.rng.between(5, 60), 0, true);
                long acked = all + c.rtt + DELACK;
                c.addC(acked + c.rng.between(100 * US, 5 * MS), RST | ACK, c.cNxt, c.sNxt, 0);
            }
            case RST_UNREAD_CLIENT -> c.addC(t0 + c.rng.between(100 * US, 5 * MS), RST | ACK, c.cNxt, c.sNxt, 0);
            case RST_UNREAD_SERVER -> {
                long all = Transfer.clientSends(c, t0 + script.think(c), script.requestSize(c), 0, false);
                long closeAfter = c.rng.between(100 * US, 80 * MS);
                if (closeAfter > DELACK) {
                    c.addS(all + c.rtt + DELACK, ACK, c.sNxt, c.cNxt, 0);
                }
                c.addS(all + c.rtt + closeAfter, RST | ACK, c.sNxt, c.cNxt, 0);
            }
            case RST_AFTER_CLOSE_SERVER -> {
                long fin = t0 + c.rng.between(1 * SEC, 15 * SEC);
                c.addS(fin, FIN | ACK, c.sNxt, c.cNxt, 0);
                c.sNxt++;
                long write = c.rng.between(50 * US, 100 * MS);
                if (write > DELACK) {
                    c.addC(fin + DELACK, ACK, c.cNxt, c.sNxt, 0);
                }
                int len = Math.min(c.mss, script.requestSize(c));
                c.addC(fin + write, ACK | PSH, c.cNxt, c.sNxt, len);
                c.cNxt += len;
                bare(c, c.addS(fin + write + c.rtt, BARE_RST, c.sNxt, 0, 0));
            }
            case RST_AFTER_CLOSE_CLIENT -> {
                long fin = t0 + closeDelay(c);
                c.addC(fin, FIN | ACK, c.cNxt, c.sNxt, 0);
                c.cNxt++;
                long write = c.rng.between(50 * US, 100 * MS);
                if (write > DELACK) {
                    c.addS(fin + c.rtt + DELACK, ACK, c.sNxt, c.cNxt, 0);
                }
                int len = Math.min(c.mss, script.responseSize(c));
                long arrives = fin + c.rtt + write;
                c.addS(arrives, ACK | PSH, c.sNxt, c.cNxt, len);
                c.sNxt += len;
                bare(c, c.addC(arrives + c.delta(), BARE_RST, c.cNxt, 0, 0));
            }
            case IDLE_RST_MIDDLEBOX -> {
                long t = t0 + idleGap(c);
                int len = Math.min(c.mss, script.requestSize(c));
                c.addC(t, ACK | PSH, c.cNxt, c.sNxt, len);
                c.cNxt += len;
                // a NAT or load balancer that forgot the flow answers statelessly: seq = the segment's ack
                bare(c, c.addS(t + c.rtt / 2, RST | PacketQueue.OPT_NONE | c.forged(), c.sNxt, 0, 0));
            }
            case IDLE_DROP -> dropped(c, t0 + idleGap(c));
            case BLACKHOLE -> dropped(c, t0 + script.think(c));
            case INJECTED_RST, INJECTED_RST_LATE_DATA -> injected(c, t0 + script.think(c));
            case ZERO_WINDOW_CLIENT -> zeroWindow(c, t0 + script.think(c));
            default -> throw new IllegalStateException("no ending script for " + c.ending);
        }
    }

    private static void bare(Conn c, int index) {
        c.q.win[index] = 0;
    }

    private static void finClient(Conn c, long t) {
        c.addC(t, FIN | ACK, c.cNxt, c.sNxt, 0);
        c.cNxt++;
        long a = t + c.rtt;
        if (c.rng.chance(0.5)) {
            c.addS(a, ACK, c.sNxt, c.cNxt, 0);
            a += c.rng.between(50 * US, 3 * MS);
        }
        c.addS(a, FIN | ACK, c.sNxt, c.cNxt, 0);
        c.sNxt++;
        c.addC(a + c.delta(), ACK, c.cNxt, c.sNxt, 0);
    }

    private static void finServer(Conn c, long t) {
        c.addS(t, FIN | ACK, c.sNxt, c.cNxt, 0);
        c.sNxt++;
        long b = t + c.delta();
        if (c.rng.chance(0.5)) {
            c.addC(b, ACK, c.cNxt, c.sNxt, 0);
            b += c.rng.between(50 * US, 3 * MS);
        }
        c.addC(b, FIN | ACK, c.cNxt, c.sNxt, 0);
        c.cNxt++;
        c.addS(b + c.rtt, ACK, c.sNxt, c.cNxt, 0);
    }

    /** A request nobody answers: RTO retransmissions, doubling, then the sender gives up in silence. */
    private void dropped(Conn c, long t) {
        int len = Math.min(c.mss, script.requestSize(c));
        c.addC(t, ACK | PSH, c.cNxt, c.sNxt, len);
        int tries = c.rng.between(5, 8);
        long rto = c.rto();
        long when = t;
        for (int i = 0; i < tries; i++) {
            when += Math.min(120 * SEC, rto << i);
            c.addC(when, ACK | PSH | PacketQueue.RETRANS, c.cNxt, c.sNxt, len);
        }
        c.cNxt += len;
    }

    /** An IPS resets the flow "as the server", with its own TTL, right after the client's request. */
    private void injected(Conn c, long t) {
        // one segment, so that no ACK of the server's is still on its way when the RST lands
        long all = Transfer.clientSends(c, t, Math.min(c.mss, script.requestSize(c)), 0, false);
        long rst = all + c.rng.between(c.rtt / 4, c.rtt * 3 / 4) + 1;
        bare(c, c.addS(rst, RST | ACK | PacketQueue.OPT_NONE | c.forged(), c.sNxt, c.cNxt, 0));
        if (c.ending == Ending.INJECTED_RST_LATE_DATA) {
            // the server was not reset: its first flight still arrives, and the client, with no
            // socket left, answers each segment with a bare RST at the segment's ack
            long arrive = all + c.rtt + script.serverThink(c);
            int segs = c.rng.between(1, 3);
            for (int i = 0; i < segs; i++) {
                long a = arrive + i * c.ser;
                c.addS(a, ACK | (i == segs - 1 ? PSH : 0), c.sNxt, c.cNxt, c.mss);
                c.sNxt += c.mss;
                bare(c, c.addC(a + c.delta(), BARE_RST, c.cNxt, 0, 0));
            }
        }
    }

    /**
     * The client stops reading a download: each ACK advertises what is left of its buffer, the
     * last one a zero window; the server probes with backoff and finally aborts.
     */
    private void zeroWindow(Conn c, long t) {
        long all = Transfer.clientSends(c, t, script.requestSize(c), 0, false);
        int n = c.rng.between(16, 48);
        int buffer = n * c.mss;
        long arrive = all + c.rtt + script.serverThink(c);
        long base = c.sNxt;
        long when = arrive;
        int cwnd = Math.max(c.sCwnd, 10);
        int sent = 0;
        while (sent < n) {
            int k = Math.min(cwnd, n - sent);
            long lastArr = when;
            for (int j = 0; j < k; j++) {
                int seg = sent + j;
                long a = when + j * c.ser;
                c.addS(a, ACK | (seg == n - 1 ? PSH : 0), base + (long) seg * c.mss, c.cNxt, c.mss);
                if ((seg & 1) == 1 || seg == n - 1) {
                    int received = (seg + 1) * c.mss;
                    int i = c.addC(a + c.ackDelay, ACK, c.cNxt, base + received, 0);
                    c.q.win[i] = (buffer - received) >> Conn.WSCALE;
                }
                lastArr = a;
            }
            sent += k;
            when = Math.max(when + c.rtt, lastArr + c.ser);
            cwnd = Math.min(cwnd * 2, 256);
        }
        c.sNxt = base + buffer;
        long probe = c.q.lastTime();
        long rto = c.rto();
        int probes = c.rng.between(3, 7);
        for (int p = 0; p < probes; p++) {
            probe += Math.min(120 * SEC, rto << p);
            c.addS(probe, ACK, c.sNxt - 1, c.cNxt, 0);
            bare(c, c.addC(probe + c.delta(), ACK, c.cNxt, c.sNxt, 0));
        }
        c.addS(probe + Math.min(60 * SEC, rto << probes) / 2, RST | ACK, c.sNxt, c.cNxt, 0);
    }

    /** One phase of a flow that stays open: the first exchange, then light traffic every few seconds. */
    void openPhase(Conn c, long t0) {
        boolean first = c.sNxt <= 1;
        if (!first) {
            c.open = true;
        }
        // light traffic, but never a gap near the idle threshold
        long t = t0 + (first ? script.think(c) : c.rng.between(1 * SEC, 20 * SEC));
        int response = Math.min(first ? 16_384 : 1_024, script.responseSize(c));
        if (c.ending == Ending.OPEN_HALF_CLOSED) {
            if (first) {
                long all = Transfer.clientSends(c, t, script.requestSize(c), 0, false);
                c.addC(all + c.delta(), FIN | ACK, c.cNxt, c.sNxt, 0);
                c.cNxt++;
                Transfer.serverSends(c, all + c.rtt + script.serverThink(c), response, 0, 0, true);
            } else {
                Transfer.serverSends(c, t, response, 0, 0, true);
            }
        } else {
            script.exchange(c, t, Math.min(first ? Integer.MAX_VALUE : 300, script.requestSize(c)), response);
        }
    }

    private static long closeDelay(Conn c) {
        return c.rng.between(50 * US, 30 * MS);
    }

    private static long idleGap(Conn c) {
        return c.rng.between(40 * SEC, 120 * SEC);
    }
}
