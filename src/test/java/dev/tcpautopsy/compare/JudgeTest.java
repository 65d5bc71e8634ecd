package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tcpautopsy.model.TerminationClass.FIN_ORDERLY;
import static dev.tcpautopsy.model.TerminationClass.IDLE_TIMEOUT;
import static dev.tcpautopsy.model.TerminationClass.MIDDLEBOX_DROP;
import static dev.tcpautopsy.model.TerminationClass.MIDDLEBOX_RST;
import static dev.tcpautopsy.model.TerminationClass.REFUSED;
import static dev.tcpautopsy.model.TerminationClass.RST_ABORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict with both views, rule by rule, on hand-made connections (client on A's side, clocks equal). */
class JudgeTest {
    private static final int SYN = 0x02, RST = 0x04, ACK = 0x10, FIN = 0x01;
    private static final Endpoint C = new Endpoint("198.18.0.2", 40000), S = new Endpoint("198.18.1.2", 8080);

    /** Segments by direction at A and at B, and what the comparison found. */
    private final List<List<Seg>> atA = List.of(new ArrayList<>(), new ArrayList<>());
    private final List<List<Seg>> atB = List.of(new ArrayList<>(), new ArrayList<>());
    private final Outcome o = new Outcome();

    private static Conn conn(TerminationClass cls, By by) {
        Comparison.View v = new Comparison.View(0, C, S, 1, 9, Instant.EPOCH, Instant.EPOCH, 0, cls, by, "seen so");
        return new Conn(v, Addr.of(C), Addr.of(S));
    }

    private Seg seg(boolean a, int dir, long frame, long ms, int flags, int len) {
        Seg s = new Seg(frame, ms * 1_000_000L, 1000 + (int) frame, 5000, flags, len, 64, (int) frame, 0, 0);
        (a ? atA : atB).get(dir).add(s);
        return s;
    }

    private Comparison.Verdict judge(Conn a, Conn b) {
        return new Judge(a, b, atA, atB, o, true, ClockFit.UNKNOWN).verdict();
    }

    @Test
    void aRstThatEndedTheConnectionAndNeverLeftTheOtherPointIsTheMiddleboxs() {
        seg(true, 0, 1, 0, SYN, 0);
        seg(true, 1, 2, 1, SYN | ACK, 0);
        seg(true, 0, 3, 2, ACK, 40);
        Seg rst = seg(true, 1, 4, 3, RST | ACK, 0);
        seg(true, 0, 5, 4, RST, 0); // the client's kernel answering what came next: only RSTs after it
        o.appearedAtA.add(new Outcome.Miss(rst, true, 1, false));
        Comparison.Verdict v = judge(conn(RST_ABORT, By.SERVER), conn(FIN_ORDERLY, By.CLIENT));
        assertEquals(MIDDLEBOX_RST, v.cls());
        assertEquals(By.MIDDLEBOX, v.by());
        assertTrue(v.reason().contains("reached A at frame 4") && v.reason().contains("in the server's name"), v.reason());
    }

    @Test
    void aRstAnsweringASynThatNeverGotThroughIsARefusalByTheMiddlebox() {
        Seg syn = seg(true, 0, 1, 0, SYN, 0);
        Seg rst = seg(true, 1, 2, 1, RST | ACK, 0);
        o.lostAtoB.add(new Outcome.Miss(syn, true, 0, false));
        o.appearedAtA.add(new Outcome.Miss(rst, true, 1, false));
        Comparison.Verdict v = judge(conn(REFUSED, By.SERVER), null);
        assertEquals(REFUSED, v.cls());
        assertEquals(By.MIDDLEBOX, v.by());
        assertTrue(v.reason().contains("SYN, which never reached B (A frame 1)"), v.reason());
    }

    @Test
    void aRstTheReceiverWentOnAfterDidNotEndIt() {
        seg(true, 0, 1, 0, SYN, 0);
        seg(true, 1, 2, 1, SYN | ACK, 0);
        Seg rst = seg(true, 1, 3, 2, RST | ACK, 0);
        seg(true, 0, 4, 3, ACK, 100);
        o.appearedAtA.add(new Outcome.Miss(rst, true, 1, false));
        Comparison.Verdict v = judge(conn(FIN_ORDERLY, By.CLIENT), conn(FIN_ORDERLY, By.CLIENT));
        assertEquals(FIN_ORDERLY, v.cls());
        assertEquals(By.CLIENT, v.by());
        assertTrue(v.reason().contains("went on after it"), v.reason());
    }

    @Test
    void lastSegmentsLostAreADropByTheMiddleboxWhateverTheSendersSideThought() {
        Seg data = seg(true, 0, 7, 0, ACK, 43);
        Seg again = seg(true, 0, 8, 200, ACK, 43);
        o.lostAtoB.add(new Outcome.Miss(data, true, 0, false));
        o.lostAtoB.add(new Outcome.Miss(again, true, 0, true));
        o.lastLost[0] = true;
        o.lastRunStart[0] = data.tsNanos;
        Comparison.Verdict v = judge(conn(RST_ABORT, By.CLIENT), conn(FIN_ORDERLY, By.CLIENT));
        assertEquals(MIDDLEBOX_DROP, v.cls());
        assertEquals(By.MIDDLEBOX, v.by());
        assertTrue(v.reason().startsWith("the client's last 2 segments (2 with data, 1 of them retransmissions; "
                + "A frames 7, 8) left A and never reached B"), v.reason());
        assertEquals(IDLE_TIMEOUT, judge(conn(IDLE_TIMEOUT, By.MIDDLEBOX), conn(FIN_ORDERLY, By.CLIENT)).cls());
    }

    @Test
    void aMiddleboxVerdictTheComparisonRefutesGivesWayToTheOtherPoints() {
        seg(true, 1, 5, 0, RST | ACK, 0);
        Comparison.Verdict v = judge(conn(MIDDLEBOX_RST, By.MIDDLEBOX), conn(RST_ABORT, By.SERVER));
        assertEquals(RST_ABORT, v.cls());
        assertEquals(By.SERVER, v.by());
        assertTrue(v.reason().contains("as B saw it; A judged MIDDLEBOX_RST by middlebox"), v.reason());
    }

    @Test
    void segmentsLostAndSentAgainLeaveTheVerdictAndAreMentioned() {
        Seg lost = seg(false, 1, 9, 0, ACK, 1448);
        o.lostBtoA.add(new Outcome.Miss(lost, false, 1, false));
        Comparison.Verdict v = judge(conn(FIN_ORDERLY, By.SERVER), conn(FIN_ORDERLY, By.SERVER));
        assertEquals(FIN_ORDERLY, v.cls());
        assertEquals(By.SERVER, v.by());
        assertEquals("seen so. One segment lost between the points was sent again and got through.", v.reason());
    }

    @Test
    void everyFlagIsNamed() {
        assertEquals("SYN+ACK", Describe.flags(SYN | ACK));
        assertEquals("FIN+PSH+ACK", Describe.flags(FIN | 0x08 | ACK));
    }
}
