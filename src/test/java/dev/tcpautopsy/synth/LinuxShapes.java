package dev.tcpautopsy.synth;

import java.util.List;

import static dev.tcpautopsy.synth.Wire.ACK;
import static dev.tcpautopsy.synth.Wire.FIN;
import static dev.tcpautopsy.synth.Wire.RST;
import static dev.tcpautopsy.synth.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each ending must look like on the wire, per the contract's "Linux behaviour" section and
 * captures of the real stack: checked on the packets, not on the generator's own bookkeeping.
 */
final class LinuxShapes {
    private static final long SEC = 1_000_000_000L;

    private final List<Wire.Seg> p;
    private final String client;
    private final String what;

    private LinuxShapes(List<Wire.Seg> p, String what) {
        this.p = p;
        this.client = p.get(0).from();
        this.what = what;
    }

    static void check(Ending e, List<Wire.Seg> packets, String what) {
        new LinuxShapes(packets, what).check(e);
    }

    private boolean fromClient(Wire.Seg s) {
        return s.from().equals(client);
    }

    private Wire.Seg last() {
        return p.get(p.size() - 1);
    }

    /** Next sequence number of one side: the end of the highest segment it sent (SYN and FIN count one). */
    private long next(boolean clientSide) {
        long best = -1;
        for (Wire.Seg s : p) {
            if (fromClient(s) == clientSide && !s.has(RST)) {
                long end = (s.seq() + s.len() + (s.has(SYN) ? 1 : 0) + (s.has(FIN) ? 1 : 0)) & 0xFFFFFFFFL;
                long isn = p.stream().filter(x -> fromClient(x) == clientSide && x.has(SYN)).findFirst().orElseThrow().seq();
                long rel = (end - isn) & 0xFFFFFFFFL;
                long bestRel = best < 0 ? -1 : (best - isn) & 0xFFFFFFFFL;
                if (rel > bestRel) {
                    best = end;
                }
            }
        }
        return best;
    }

    private long lastDataTime(boolean clientSide) {
        long t = -1;
        for (Wire.Seg s : p) {
            if (fromClient(s) == clientSide && s.len() > 0) {
                t = s.tNanos();
            }
        }
        return t;
    }

    private Wire.Seg fin(boolean clientSide) {
        return p.stream().filter(s -> fromClient(s) == clientSide && s.has(FIN)).findFirst().orElse(null);
    }

    private long maxGap() {
        long g = 0;
        for (int i = 1; i < p.size(); i++) {
            g = Math.max(g, p.get(i).tNanos() - p.get(i - 1).tNanos());
        }
        return g;
    }

    private void check(Ending e) {
        Wire.Seg syn = p.get(0);
        assertTrue(syn.has(SYN) && !syn.has(ACK), what + ": starts with the client's SYN");
        for (Wire.Seg s : p) {
            if (fromClient(s)) {
                assertEquals(64, s.ttl(), what + ": client TTL, frame " + s.frame());
            } else if (s.ttl() != 63) {
                assertTrue(s.has(RST), what + ": only forged RSTs carry another TTL, frame " + s.frame());
            }
        }
        // retransmission and probe backoff may leave long gaps, but with data outstanding: not idle
        if (e.terminationClass() != dev.tcpautopsy.model.TerminationClass.IDLE_TIMEOUT && e != Ending.BLACKHOLE
                && e != Ending.ZERO_WINDOW_CLIENT) {
            assertTrue(maxGap() < 30 * SEC, what + ": no idle gap, max " + maxGap() / 1e9 + " s");
        }
        boolean byClient = e.by() == dev.tcpautopsy.model.By.CLIENT;
        switch (e) {
            case REFUSED_SERVER, REFUSED_FIREWALL -> {
                assertEquals(2, p.size(), what);
                Wire.Seg rst = last();
                assertEquals(RST | ACK, rst.flags(), what + ": RST|ACK to the SYN");
                assertEquals(0, rst.seq(), what + ": seq 0");
                assertEquals((syn.seq() + 1) & 0xFFFFFFFFL, rst.ack(), what + ": ack ISN+1");
                assertEquals(0, rst.win(), what);
                if (e == Ending.REFUSED_FIREWALL) {
                    assertNotEquals(63, rst.ttl(), what + ": the firewall's own TTL");
                } else {
                    assertEquals(63, rst.ttl(), what);
                }
            }
            case SYN_DROPPED -> {
                long[] gaps = {1, 1, 1, 1, 2, 4};
                assertEquals(gaps.length + 1, p.size(), what);
                for (int i = 1; i < p.size(); i++) {
                    assertEquals(SYN, p.get(i).flags(), what);
                    assertEquals(syn.seq(), p.get(i).seq(), what + ": same ISN");
                    long gap = p.get(i).tNanos() - p.get(i - 1).tNanos();
                    assertTrue(Math.abs(gap - gaps[i - 1] * SEC) < 5_000_000, what + ": gap " + gap);
                }
            }
            case FIN_CLIENT, FIN_SERVER, IDLE_FIN_CLIENT, IDLE_FIN_SERVER -> {
                Wire.Seg c = fin(true);
                Wire.Seg s = fin(false);
                assertTrue(c != null && s != null, what + ": both FINs");
                assertEquals(byClient, c.tNanos() < s.tNanos(), what + ": first FIN by " + e.by());
                Wire.Seg end = last();
                assertEquals(ACK, end.flags(), what + ": ends with the ACK of the second FIN");
                assertEquals(next(!fromClient(end)), end.ack(), what);
                if (e.name().startsWith("IDLE")) {
                    assertTrue(maxGap() >= 40 * SEC, what + ": idle gap " + maxGap() / 1e9);
                }
                assertFalse(p.stream().anyMatch(x -> x.has(RST)), what);
            }
            case RST_ABORT_CLIENT, RST_ABORT_SERVER, RST_UNREAD_CLIENT, RST_UNREAD_SERVER -> {
                Wire.Seg rst = last();
                assertEquals(RST | ACK, rst.flags(), what + ": an active reset is RST|ACK");
                assertEquals(byClient, fromClient(rst), what);
                assertEquals(next(byClient), rst.seq(), what + ": seq at snd_nxt");
                assertEquals(next(!byClient), rst.ack(), what + ": acks everything received");
                assertTrue(rst.win() > 0, what + ": an active reset advertises the usual window");
                assertEquals(null, fin(byClient), what + ": no FIN from the RST sender");
                boolean unread = lastDataTime(!byClient) > lastDataTime(byClient);
                assertEquals(e.terminationClass() == dev.tcpautopsy.model.TerminationClass.RST_UNREAD_DATA, unread,
                        what + ": the peer's last data arrived after the sender's own");
            }
            case RST_AFTER_CLOSE_CLIENT, RST_AFTER_CLOSE_SERVER -> {
                Wire.Seg rst = last();
                Wire.Seg fin = fin(byClient);
                assertEquals(RST, rst.flags(), what + ": a bare RST, no ACK flag");
                assertEquals(byClient, fromClient(rst), what);
                assertEquals((fin.seq() + 1) & 0xFFFFFFFFL, rst.seq(), what + ": seq = FIN seq + 1");
                Wire.Seg late = p.get(p.size() - 2);
                assertTrue(late.len() > 0 && fromClient(late) != byClient, what + ": answers late data");
                assertEquals(rst.seq(), late.ack(), what + ": equal to the late data's ack");
                assertEquals(0, rst.win(), what);
                assertEquals(-1, rst.tsVal(), what + ": no options");
                if (!rst.v6()) {
                    assertEquals(0, rst.ipId(), what + ": IP ID 0");
                }
            }
            case INJECTED_RST, INJECTED_RST_LATE_DATA, IDLE_RST_MIDDLEBOX -> {
                Wire.Seg forged = p.stream().filter(s -> !fromClient(s) && s.has(RST)).findFirst().orElseThrow();
                assertNotEquals(63, forged.ttl(), what + ": forged TTL");
                boolean after = false;
                for (Wire.Seg s : p) {
                    if (s == forged) {
                        after = true;
                    } else if (after && !fromClient(s)) {
                        assertEquals(Ending.INJECTED_RST_LATE_DATA, e, what + ": server data after the RST");
                        assertTrue(s.len() > 0, what);
                    } else if (after) {
                        assertEquals(RST, s.flags(), what + ": the client's socket is gone: bare RSTs");
                    }
                }
                if (e == Ending.IDLE_RST_MIDDLEBOX) {
                    assertTrue(maxGap() >= 40 * SEC, what);
                    assertEquals(RST, forged.flags(), what + ": a stateless reset");
                }
            }
            case BLACKHOLE, IDLE_DROP -> {
                int n = 0;
                for (int i = p.size() - 1; i > 0 && fromClient(p.get(i)) && p.get(i).len() > 0
                        && p.get(i).seq() == last().seq(); i--) {
                    n++;
                }
                assertTrue(n >= 6, what + ": the request and at least five retransmissions, got " + n);
                List<Wire.Seg> tail = p.subList(p.size() - n, p.size());
                for (int i = 2; i < tail.size(); i++) {
                    double ratio = (double) (tail.get(i).tNanos() - tail.get(i - 1).tNanos())
                            / (tail.get(i - 1).tNanos() - tail.get(i - 2).tNanos());
                    assertEquals(2.0, ratio, 0.01, what + ": exponential backoff");
                }
                assertTrue(last().len() > 0, what);
            }
            case ZERO_WINDOW_CLIENT -> {
                Wire.Seg rst = last();
                assertEquals(RST | ACK, rst.flags(), what);
                assertFalse(fromClient(rst), what);
                long serverNext = next(false);
                long probes = p.stream().filter(s -> !fromClient(s) && s.len() == 0 && !s.has(RST)
                        && s.seq() == ((serverNext - 1) & 0xFFFFFFFFL)).count();
                assertTrue(probes >= 3, what + ": zero-window probes at snd_una - 1: " + probes);
                Wire.Seg beforeRst = p.get(p.size() - 2);
                assertTrue(fromClient(beforeRst) && beforeRst.win() == 0, what + ": the window stayed zero");
            }
            case OPEN_EXCHANGING, OPEN_HALF_CLOSED -> {
                assertFalse(p.stream().anyMatch(s -> s.has(RST)), what);
                assertEquals(null, fin(false), what);
                assertEquals(e == Ending.OPEN_HALF_CLOSED, fin(true) != null, what);
            }
            default -> throw new AssertionError("no shape for " + e);
        }
    }
}
