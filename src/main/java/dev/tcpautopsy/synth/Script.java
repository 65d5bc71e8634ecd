package dev.tcpautopsy.synth;

import static dev.tcpautopsy.synth.Conn.ACK;
import static dev.tcpautopsy.synth.Conn.DELACK;
import static dev.tcpautopsy.synth.Conn.FIN;
import static dev.tcpautopsy.synth.Conn.MS;
import static dev.tcpautopsy.synth.Conn.RST;
import static dev.tcpautopsy.synth.Conn.SEC;
import static dev.tcpautopsy.synth.Conn.SYN;
import static dev.tcpautopsy.synth.Conn.US;

/**
 * Plans a connection phase by phase: the opening (handshake, or the whole flow when the SYN is
 * refused or unanswered), the request/response exchanges, and the ending. Each call plans one
 * phase starting after the previous one, so a connection never holds more than one phase of
 * packets.
 */
final class Script {
    static final int OPENING = 0;
    static final int EXCHANGES = 1;
    static final int DONE = 2;
    /** Think times stay below this, so that only the IDLE_* endings have idle gaps. */
    static final long MAX_THINK = 20 * SEC;
    /** Seconds before each SYN: tcp_syn_linear_timeouts = 4 retries 1 s apart, then doubling; tcp_syn_retries = 6. */
    private static final long[] SYN_GAPS = {0, 1, 1, 1, 1, 2, 4};
    /** Most segments of a response planned in one phase: bounds each connection's queue. */
    static final int CHUNK_SEGMENTS = 128;

    final Profile profile;
    final double loss;
    final double reorder;
    final Endings endings;

    Script(SynthParams p) {
        this.profile = p.profile();
        this.loss = p.loss();
        this.reorder = p.reorder();
        this.endings = new Endings(this);
    }

    /** Plans the next phase from time {@code t}; false when the connection has ended. */
    boolean next(Conn c, long t) {
        switch (c.step) {
            case OPENING:
                opening(c, t);
                return true;
            case EXCHANGES:
                if (c.pendingResponse > 0) {
                    // the next flight of a long response, clocked by the ACKs that ended the last one
                    int chunk = (int) Math.min(c.pendingResponse, (long) CHUNK_SEGMENTS * c.mss);
                    c.pendingResponse -= chunk;
                    Transfer.serverSends(c, t + c.rtt, chunk, loss, reorder, c.pendingResponse == 0);
                } else if (c.exchangesLeft > 0) {
                    c.exchangesLeft--;
                    if (c.ending.openEnded()) {
                        endings.openPhase(c, t);
                    } else {
                        exchange(c, t + think(c), requestSize(c), responseSize(c));
                    }
                } else {
                    endings.end(c, t);
                    c.step = DONE;
                }
                return true;
            default:
                return false;
        }
    }

    private void opening(Conn c, long t) {
        switch (c.ending) {
            case REFUSED_SERVER, REFUSED_FIREWALL -> {
                syn(c, t);
                // the kernel's reset to a SYN: RST|ACK, seq 0, ack ISN+1, window 0, no options, IP ID 0
                int meta = RST | ACK | PacketQueue.OPT_NONE | PacketQueue.IPID_ZERO | PacketQueue.ABS_SEQ;
                long when = t + c.rtt;
                if (c.ending == Ending.REFUSED_FIREWALL) {
                    meta |= c.forged();
                    when = t + c.rtt / 2;
                }
                int i = c.addS(when, meta, 0, 1, 0);
                c.q.win[i] = 0;
                c.step = DONE;
            }
            case SYN_DROPPED -> {
                long when = t;
                for (long g : SYN_GAPS) {
                    when += g * SEC + c.rng.between(0, 3 * MS);
                    syn(c, when);
                }
                c.step = DONE;
            }
            default -> {
                syn(c, t);
                long synAck = t + c.rtt;
                int i = c.addS(synAck, SYN | ACK | PacketQueue.OPT_SYN | PacketQueue.IPID_ZERO, 0, 1, 0);
                c.q.win[i] = c.v6 ? 64800 : 65160;
                c.cNxt = 1;
                c.sNxt = 1;
                c.addC(synAck + c.delta(), ACK, 1, 1, 0);
                c.step = EXCHANGES;
                c.exchangesLeft = c.ending.openEnded() ? Integer.MAX_VALUE : 1 + geometric(c, profile.extraExchanges);
            }
        }
    }

    private static void syn(Conn c, long t) {
        int i = c.addC(t, SYN | PacketQueue.OPT_SYN, 0, 0, 0);
        c.q.win[i] = c.v6 ? 64800 : 64240;
    }

    /**
     * One request and its response (its first chunk; the rest follows in later phases, so that a
     * connection never plans more than {@link #CHUNK_SEGMENTS} segments at once).
     */
    void exchange(Conn c, long t, int request, int response) {
        long serverThink = serverThink(c);
        long all = Transfer.clientSends(c, t, request, loss, serverThink >= DELACK);
        int chunk = Math.min(response, CHUNK_SEGMENTS * c.mss);
        c.pendingResponse = response - chunk;
        Transfer.serverSends(c, all + c.rtt + serverThink, chunk, loss, reorder, c.pendingResponse == 0);
    }

    long think(Conn c) {
        double ms = c.rng.exponential(profile.thinkMillis);
        return Math.min(MAX_THINK, (long) (ms * MS)) + c.rng.between(20 * US, 200 * US);
    }

    long serverThink(Conn c) {
        return (long) (c.rng.logUniform(0.02, profile == Profile.CHURN ? 2 : 60) * MS);
    }

    int requestSize(Conn c) {
        return c.rng.logNormal(profile.requestMedian, profile.requestSigma, 1, profile.requestMax);
    }

    int responseSize(Conn c) {
        return c.rng.logNormal(profile.responseMedian, profile.responseSigma, 1, profile.responseMax);
    }

    private static int geometric(Conn c, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double p = 1 / (1 + mean);
        int k = 0;
        while (k < 1000 && !c.rng.chance(p)) {
            k++;
        }
        return k;
    }
}
